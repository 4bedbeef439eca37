"""Эталон 1.6.3: nn.Linear с нулевыми весами, MSE и SGD на полном батче."""

import torch
from torch import nn


def fit_linear(X: torch.Tensor, y: torch.Tensor, lr: float, epochs: int) -> nn.Linear:
    model = nn.Linear(X.shape[1], 1)
    nn.init.zeros_(model.weight)
    nn.init.zeros_(model.bias)
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    target = y.unsqueeze(1)  # (N,) → (N, 1), как выход модели
    for _ in range(epochs):
        loss = criterion(model(X), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model
