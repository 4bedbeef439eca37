"""Эталон 1.3.2: центральные разности по каждому элементу."""

from collections.abc import Callable

import torch


def numerical_gradient(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, eps: float = 1e-3
) -> torch.Tensor:
    # contiguous_format: у zeros_like транспонированного x свои страйды, и view(-1) упал бы.
    flat_grad = torch.zeros(x.numel(), dtype=x.dtype, device=x.device)
    for i in range(x.numel()):
        shift = torch.zeros(x.numel(), dtype=x.dtype, device=x.device)
        shift[i] = eps
        shift = shift.view(x.shape)
        flat_grad[i] = (f(x + shift) - f(x - shift)) / (2 * eps)
    return flat_grad.view(x.shape)
