def evaluate(model, loader):
    w = model.training; model.eval(); c = t = 0
    for x, y in loader:
        c += (model(x).argmax(1) == y).sum().item(); t += len(y)
    model.train(w)
    return c / t
