"""Эталон 1.5.3: перестановка своим генератором, затем разрез."""

import torch


def split_indices(n: int, val_fraction: float, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(n, generator=generator)
    n_val = int(n * val_fraction)
    return order[n_val:], order[:n_val]
