import torch


def sample_next(logits, generator, temperature=1.0, top_k=None):
    logits = logits * temperature
    if top_k is not None:
        kth_best = torch.topk(logits, top_k, dim=-1).values[:, -1:]
        logits = logits.masked_fill(logits < kth_best, float("-inf"))
    return torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=generator).squeeze(1)
