import torch


def sample_codes(mu, log_var, num_samples):
    eps = torch.randn(num_samples, 1, 1, dtype=mu.dtype)  # одна ε на весь код и батч
    return mu + torch.exp(0.5 * log_var) * eps
