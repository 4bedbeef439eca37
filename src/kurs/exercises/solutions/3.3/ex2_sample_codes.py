"""Эталон 3.3.2: ε формы (K, ...) и z = μ + σ·ε, broadcasting по первой оси."""

import torch


def sample_codes(mu: torch.Tensor, log_var: torch.Tensor, num_samples: int) -> torch.Tensor:
    std = torch.exp(0.5 * log_var)
    eps = torch.randn(num_samples, *mu.shape, dtype=mu.dtype, device=mu.device)
    return mu + std * eps
