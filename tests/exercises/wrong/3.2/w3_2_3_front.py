import torch
from torch.nn import functional as F


def cached_attention_step(q, k, v, cache_k, cache_v):
    cache_k = torch.cat([k, cache_k], dim=2)
    cache_v = torch.cat([v, cache_v], dim=2)
    return F.scaled_dot_product_attention(q, cache_k, cache_v), cache_k, cache_v
