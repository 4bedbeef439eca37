from torch.nn import functional as F


def causal_attention(q, k, v):
    return F.scaled_dot_product_attention(q, k, v, is_causal=True)
