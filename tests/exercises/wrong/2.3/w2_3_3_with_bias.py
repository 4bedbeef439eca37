import torch
from torch import nn


def conv_gradient_norms(model, X, y):
    model.zero_grad()
    nn.functional.cross_entropy(model(X), y).backward()
    norms = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            grads = [p.grad.flatten() for p in m.parameters()]
            norms.append(torch.cat(grads).norm())
    return torch.stack(norms)
