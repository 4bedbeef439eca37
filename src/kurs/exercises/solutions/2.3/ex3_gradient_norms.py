"""Эталон 2.3.3: zero_grad, backward, норма weight.grad каждой свёртки по порядку."""

import torch
from torch import nn


def conv_gradient_norms(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    model.zero_grad()
    nn.functional.cross_entropy(model(X), y).backward()
    convs = [module for module in model.modules() if isinstance(module, nn.Conv2d)]
    return torch.stack([conv.weight.grad.norm() for conv in convs]).detach()
