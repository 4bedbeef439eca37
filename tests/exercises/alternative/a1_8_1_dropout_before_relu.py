"""Linear → Dropout → ReLU: Dropout лишь обнуляет и умножает на положительное число,
поэтому с ReLU он переставим — поведение то же, что у Linear → ReLU → Dropout."""

from torch import nn


class MLP(nn.Module):
    def __init__(self, in_features, hidden, num_classes, p=0.5):
        super().__init__()
        layers = [nn.Flatten()]
        width = in_features
        for size in hidden:
            layers += [nn.Linear(width, size), nn.Dropout(p), nn.ReLU()]
            width = size
        self.net = nn.Sequential(*layers, nn.Linear(width, num_classes))

    def forward(self, x):
        return self.net(x)
