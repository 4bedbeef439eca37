import torch


def sample_codes(mu, log_var, num_samples):
    z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
    return z.expand(num_samples, *mu.shape)
