"""ReLU и Dropout функциями из torch.nn.functional, режим — из self.training."""

import torch.nn.functional as F
from torch import nn


class MLP(nn.Module):
    def __init__(self, in_features, hidden, num_classes, p=0.5):
        super().__init__()
        self.p = p
        sizes = [in_features, *hidden]
        self.hidden = nn.ModuleList([nn.Linear(sizes[i], sizes[i + 1]) for i in range(len(hidden))])
        self.out = nn.Linear(sizes[-1], num_classes)

    def forward(self, x):
        h = x.view(len(x), -1)
        for layer in self.hidden:
            h = F.dropout(F.relu(layer(h)), self.p, self.training)
        return self.out(h)
