import torch
def cross_entropy(logits, target):
    p = logits.exp() / logits.exp().sum(1, keepdim=True)
    return -p[torch.arange(len(target)), target].log().mean()
