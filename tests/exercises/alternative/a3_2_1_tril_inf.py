"""Маска сложением: матрица из нулей и −∞ над диагональю прибавляется к оценкам."""

import torch


def causal_attention(q, k, v):
    T, d = q.shape[-2], q.shape[-1]
    bias = torch.full((T, T), float("-inf"), dtype=q.dtype).triu(1)
    weights = torch.softmax(torch.einsum("...id,...jd->...ij", q, k) * d**-0.5 + bias, dim=-1)
    return torch.einsum("...ij,...jd->...id", weights, v)
