import torch


def kl_normal(mu1, log_var1, mu2, log_var2):
    with torch.no_grad():
        kl = log_var2 - log_var1 + (log_var1.exp() + (mu1 - mu2) ** 2) / log_var2.exp() - 1
    return 0.5 * kl.sum(-1)
