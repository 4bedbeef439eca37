"""Эталон 1.4.2: log-softmax через вычитание максимума по строке."""

import torch


def cross_entropy(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    shifted = logits - logits.max(dim=1, keepdim=True).values
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    picked = log_probs[torch.arange(logits.shape[0]), target]
    return -picked.mean()
