"""Каждая голова — своим срезом весов в цикле; причинное внимание руками; головы склеены cat."""

import math

import torch


def multi_head_attention(x, qkv_weight, qkv_bias, proj_weight, proj_bias, n_head):
    E = x.shape[-1]
    d = E // n_head
    T = x.shape[1]
    allowed = torch.ones(T, T, dtype=torch.bool).tril()
    outputs = []
    for h in range(n_head):
        rows = [slice(part * E + h * d, part * E + (h + 1) * d) for part in range(3)]
        q, k, v = (x @ qkv_weight[r].T + qkv_bias[r] for r in rows)
        scores = (q @ k.transpose(1, 2) / math.sqrt(d)).masked_fill(~allowed, float("-inf"))
        outputs.append(torch.softmax(scores, dim=-1) @ v)
    return torch.cat(outputs, dim=-1) @ proj_weight.T + proj_bias
