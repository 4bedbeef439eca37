from torch.nn import functional as F


def multi_head_attention(x, qkv_weight, qkv_bias, proj_weight, proj_bias, n_head):
    B, T, E = x.shape
    q, k, v = F.linear(x, qkv_weight, qkv_bias).split(E, dim=-1)
    q, k, v = (t.view(B, T, 1, E).transpose(1, 2) for t in (q, k, v))
    y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    y = y.transpose(1, 2).reshape(B, T, E)
    return F.linear(y, proj_weight, proj_bias)
