import torch
def evaluate(model, loader):
    w = model.training; model.eval(); accs = []
    with torch.no_grad():
        for x, y in loader:
            accs.append((model(x).argmax(1) == y).float().mean().item())
    model.train(w)
    return sum(accs) / len(accs)
