"""Один объект nn.Dropout на все скрытые слои: в нём нет параметров, делить его можно."""

from torch import nn


class MLP(nn.Module):
    def __init__(self, in_features, hidden, num_classes, p=0.5):
        super().__init__()
        widths = [in_features, *hidden, num_classes]
        self.layers = nn.ModuleList(
            nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:], strict=True)
        )
        self.relu = nn.ReLU(inplace=True)
        self.drop = nn.Dropout(p)

    def forward(self, x):
        x = x.reshape(x.shape[0], -1)
        for layer in self.layers[:-1]:
            x = self.drop(self.relu(layer(x)))
        return self.layers[-1](x)
