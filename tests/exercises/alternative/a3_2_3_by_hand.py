"""Внимание одного запроса руками: softmax(q·kᵀ/√d) по всему кэшу."""

import math

import torch


def cached_attention_step(q, k, v, cache_k, cache_v):
    keys = torch.cat((cache_k, k), dim=-2)
    values = torch.cat((cache_v, v), dim=-2)
    weights = torch.softmax(q @ keys.transpose(-1, -2) / math.sqrt(q.shape[-1]), dim=-1)
    return weights @ values, keys, values
