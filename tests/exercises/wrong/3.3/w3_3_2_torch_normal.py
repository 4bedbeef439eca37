"""torch.normal с тензорами среднего и σ: выборка есть, а градиент по ним нулевой."""

import torch


def sample_codes(mu, log_var, num_samples):
    shape = (num_samples, *mu.shape)
    return torch.normal(mu.expand(shape), torch.exp(0.5 * log_var).expand(shape))
