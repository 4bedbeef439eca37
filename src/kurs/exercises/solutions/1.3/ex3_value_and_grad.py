"""Эталон 1.3.3: работаем с отцепленной копией x, которой разрешён градиент."""

from collections.abc import Callable

import torch


def value_and_grad(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    leaf = x.detach().clone().requires_grad_(True)
    value = f(leaf)
    value.backward()
    return value.detach(), leaf.grad
