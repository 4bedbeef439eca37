"""Выходной слой создан первым, скрытые слои — в nn.ModuleList."""

import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self, in_features, hidden, num_classes, p=0.5):
        super().__init__()
        widths = [in_features, *hidden]
        self.head = nn.Linear(widths[-1], num_classes)
        self.hidden = nn.ModuleList(
            nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:], strict=True)
        )
        self.drops = nn.ModuleList(nn.Dropout(p) for _ in hidden)

    def forward(self, x):
        x = x.flatten(1)
        for layer, drop in zip(self.hidden, self.drops, strict=True):
            x = drop(torch.relu(layer(x)))
        return self.head(x)
