import torch


def kl_normal(mu1, log_var1, mu2, log_var2):
    std1, std2 = torch.exp(0.5 * log_var1), torch.exp(0.5 * log_var2)
    return 0.5 * (log_var2 - log_var1 + (std1 + (mu1 - mu2) ** 2) / std2 - 1).sum(-1)
