"""Эталон 1.7.3: вычитаем максимум вдоль dim, затем exp и нормировка."""

import torch


def softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    exps = torch.exp(shifted)
    return exps / exps.sum(dim=dim, keepdim=True)
