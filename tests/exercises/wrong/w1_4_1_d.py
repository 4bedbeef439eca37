import torch
from torch import nn
class MyLinear(nn.Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.inner = nn.Linear(in_features, out_features, bias=bias)
        self.weight = self.inner.weight
        self.bias = self.inner.bias
    def forward(self, x):
        return self.inner(x)
