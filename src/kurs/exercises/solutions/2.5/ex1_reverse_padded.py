"""Эталон 2.5.1: для каждого шага — номер шага, откуда взять значение, и gather."""

import torch


def reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    steps = torch.arange(x.shape[1], device=x.device)[None, :]  # (1, T)
    lengths = lengths.to(x.device)[:, None]  # (N, 1)
    # Шаг t < L берёт значение с шага L − 1 − t, шаги дополнения остаются на месте.
    source = torch.where(steps < lengths, lengths - 1 - steps, steps)  # (N, T)
    return x.gather(1, source[..., None].expand_as(x))
