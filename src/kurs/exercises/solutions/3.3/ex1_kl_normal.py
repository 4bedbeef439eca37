"""Эталон 3.3.1: KL двух нормальных распределений по координатам, сумма по последней оси."""

import torch


def kl_normal(
    mu1: torch.Tensor, log_var1: torch.Tensor, mu2: torch.Tensor, log_var2: torch.Tensor
) -> torch.Tensor:
    # ½·(ln σ₂² − ln σ₁² + (σ₁² + (μ₁ − μ₂)²) / σ₂² − 1) для каждой координаты.
    per_coordinate = 0.5 * (
        log_var2 - log_var1 + (log_var1.exp() + (mu1 - mu2) ** 2) / log_var2.exp() - 1
    )
    return per_coordinate.sum(dim=-1)
