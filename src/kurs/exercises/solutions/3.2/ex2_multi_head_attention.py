"""Эталон 3.2.2: один линейный слой на q, k, v, головы через view и transpose, SDPA, proj."""

import torch
from torch.nn import functional as F


def multi_head_attention(
    x: torch.Tensor,
    qkv_weight: torch.Tensor,
    qkv_bias: torch.Tensor,
    proj_weight: torch.Tensor,
    proj_bias: torch.Tensor,
    n_head: int,
) -> torch.Tensor:
    B, T, E = x.shape
    q, k, v = F.linear(x, qkv_weight, qkv_bias).split(E, dim=-1)
    q, k, v = (t.view(B, T, n_head, E // n_head).transpose(1, 2) for t in (q, k, v))
    y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    return F.linear(y.transpose(1, 2).reshape(B, T, E), proj_weight, proj_bias)
