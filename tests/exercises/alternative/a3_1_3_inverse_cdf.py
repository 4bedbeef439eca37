"""Выбор через обратную функцию распределения: равномерное число из generator и searchsorted;
top-k — обнулением вероятностей вне k лучших и перенормировкой."""

import torch


def sample_next(logits, generator, temperature=1.0, top_k=None):
    probs = torch.softmax(logits.double() / temperature, dim=-1)
    if top_k is not None:
        keep = torch.zeros_like(probs).scatter(-1, probs.topk(top_k, dim=-1).indices, 1.0)
        probs = probs * keep
        probs = probs / probs.sum(dim=-1, keepdim=True)
    cdf = probs.cumsum(dim=-1)
    u = torch.rand(len(probs), 1, generator=generator, dtype=torch.float64) * cdf[:, -1:]
    return torch.searchsorted(cdf, u).squeeze(1).clamp_max(probs.shape[1] - 1)
