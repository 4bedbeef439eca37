"""Эталон 1.9.3: requires_grad_(False) для всей модели, затем свежая голова."""

from torch import nn


def freeze_and_replace_head(model: nn.Module, num_classes: int) -> nn.Module:
    model.requires_grad_(False)
    # Новый слой создаётся после заморозки, поэтому его параметры обучаемые.
    model.head = nn.Linear(model.head.in_features, num_classes)
    return model
