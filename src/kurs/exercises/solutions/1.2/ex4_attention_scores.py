"""Эталон 1.2.4: общая ось b, свёртка по d, свободные оси t и s."""

import math

import torch


def attention_scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.einsum("btd,bsd->bts", q, k) / math.sqrt(q.shape[-1])
