"""Эталон 1.4.3: буферы импульса в списке рядом с параметрами, шаг под torch.no_grad()."""

from collections.abc import Iterable

import torch


class MomentumSGD:
    def __init__(self, params: Iterable[torch.Tensor], lr: float, momentum: float = 0.0):
        self.params = list(params)  # генератор model.parameters() можно пройти лишь раз
        self.lr = lr
        self.momentum = momentum
        self.velocities = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self) -> None:
        for p, v in zip(self.params, self.velocities, strict=True):
            if p.grad is None:
                continue
            v.mul_(self.momentum).add_(p.grad)
            p.sub_(self.lr * v)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None
