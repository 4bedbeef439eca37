"""Эталон 1.2.2: (N, 1, D) − (1, M, D) → (N, M, D), затем сумма по D."""

import torch


def pairwise_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    diff = a.unsqueeze(1) - b.unsqueeze(0)
    return (diff**2).sum(dim=-1).sqrt()
