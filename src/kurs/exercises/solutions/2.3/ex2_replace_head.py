"""Эталон 2.3.2: заморозить всё, потом поставить новую голову (она создаётся обучаемой)."""

from torch import nn


def replace_head(model: nn.Module, num_classes: int) -> nn.Module:
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
