import torch


def sample_next(logits, generator, temperature=1.0, top_k=None):
    probs = torch.softmax(logits / temperature, dim=-1)
    return torch.multinomial(probs, 1, generator=generator).squeeze(1)
