"""Эталон 2.4.2: потери каждого такта (reduction="none"), маска, среднее по маске."""

import torch
from torch.nn import functional as F


def masked_cross_entropy(
    logits: torch.Tensor, targets: torch.Tensor, lengths: torch.Tensor
) -> torch.Tensor:
    N, T, C = logits.shape
    per_step = F.cross_entropy(logits.reshape(N * T, C), targets.reshape(N * T), reduction="none")
    mask = torch.arange(T, device=logits.device)[None, :] < lengths.to(logits.device)[:, None]
    return per_step[mask.reshape(N * T)].mean()
