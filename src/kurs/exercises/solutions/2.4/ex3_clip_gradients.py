"""Эталон 2.4.3: общая норма всех градиентов и один общий множитель."""

import torch


def clip_gradients(parameters, max_norm: float) -> torch.Tensor:
    grads = [p.grad for p in parameters if p.grad is not None]  # генератор — только один раз
    total_norm = torch.sqrt(sum((g.double() ** 2).sum() for g in grads))
    if total_norm > max_norm:
        for g in grads:
            g.mul_(max_norm / total_norm.item())
    return total_norm
