"""Эталон 1.3.4: лист с градиентом, шаг под no_grad, обнуление .grad перед backward."""

from collections.abc import Callable

import torch


def minimize(
    f: Callable[[torch.Tensor], torch.Tensor], x0: torch.Tensor, lr: float, steps: int
) -> torch.Tensor:
    x = x0.detach().clone().requires_grad_(True)
    for _ in range(steps):
        x.grad = None
        f(x).backward()
        with torch.no_grad():
            x -= lr * x.grad
    return x.detach()
