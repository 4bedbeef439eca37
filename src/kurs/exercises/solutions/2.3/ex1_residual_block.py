"""Эталон 2.3.1: основная ветка, обходная ветка, сложение и ReLU после него."""

import torch
from torch import nn


def residual_block(
    x: torch.Tensor,
    conv1: nn.Module,
    bn1: nn.Module,
    conv2: nn.Module,
    bn2: nn.Module,
    downsample: nn.Module | None = None,
) -> torch.Tensor:
    out = bn2(conv2(torch.relu(bn1(conv1(x)))))
    identity = x if downsample is None else downsample(x)
    return torch.relu(out + identity)
