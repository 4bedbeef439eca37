"""Сначала новая голова, потом заморозка всего, кроме параметров головы."""

from torch import nn


def replace_head(model, num_classes):
    head = nn.Linear(model.fc.in_features, num_classes)
    model.fc = head
    head_ids = {id(p) for p in head.parameters()}
    for p in model.parameters():
        p.requires_grad = id(p) in head_ids
    return model
