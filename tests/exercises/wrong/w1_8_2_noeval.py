import torch
def evaluate(model, loader):
    c = t = 0
    with torch.no_grad():
        for x, y in loader:
            c += (model(x).argmax(1) == y).sum().item(); t += len(y)
    return c / t
