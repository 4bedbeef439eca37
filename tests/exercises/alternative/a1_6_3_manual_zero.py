"""Обнуление параметров под no_grad и y.view(-1, 1) вместо unsqueeze."""

import torch
from torch import nn


def fit_linear(X, y, lr, epochs):
    model = nn.Linear(X.shape[1], 1)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.zero_()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    target = y.view(-1, 1)
    for _ in range(epochs):
        optimizer.zero_grad()
        loss_fn(model(X), target).backward()
        optimizer.step()
    return model
