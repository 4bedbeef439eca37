"""Коды по одному в цикле, потом torch.stack."""

import torch


def sample_codes(mu, log_var, num_samples):
    std = (0.5 * log_var).exp()
    return torch.stack([mu + std * torch.randn_like(mu) for _ in range(num_samples)])
