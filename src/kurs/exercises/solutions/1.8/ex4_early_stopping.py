"""Эталон 1.8.4: копия весов при каждом улучшении, счётчик эпох без улучшения."""

import copy
from collections.abc import Callable

from torch import nn


def early_stopping(
    model: nn.Module,
    train_one_epoch: Callable[[nn.Module], None],
    validation_loss: Callable[[nn.Module], float],
    max_epochs: int,
    patience: int,
) -> int:
    best_loss, best_epoch = float("inf"), 0
    best_state = copy.deepcopy(model.state_dict())
    epochs_without_improvement = 0
    for epoch in range(max_epochs):
        train_one_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_state = copy.deepcopy(model.state_dict())  # state_dict() — лишь ссылки
            epochs_without_improvement = 0
        else:
            epochs_without_improvement += 1
            if epochs_without_improvement >= patience:
                break
    model.load_state_dict(best_state)
    return best_epoch
