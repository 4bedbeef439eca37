"""KL через отношение дисперсий: ½·Σ[(μ₁ − μ₂)²/σ₂² + σ₁²/σ₂² − 1 − ln(σ₁²/σ₂²)]."""

import torch


def kl_normal(mu1, log_var1, mu2, log_var2):
    var1, var2 = torch.exp(log_var1), torch.exp(log_var2)
    ratio = var1 / var2
    return 0.5 * torch.sum((mu1 - mu2).pow(2) / var2 + ratio - 1 - torch.log(ratio), dim=-1)
