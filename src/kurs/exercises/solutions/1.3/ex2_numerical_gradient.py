"""Эталон 1.3.2: центральные разности по каждому элементу."""

from collections.abc import Callable

import torch


def numerical_gradient(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, eps: float = 1e-3
) -> torch.Tensor:
    grad = torch.zeros_like(x)
    flat_grad = grad.view(-1)
    for i in range(x.numel()):
        shift = torch.zeros_like(x).view(-1)
        shift[i] = eps
        shift = shift.view_as(x)
        flat_grad[i] = (f(x + shift) - f(x - shift)) / (2 * eps)
    return grad
