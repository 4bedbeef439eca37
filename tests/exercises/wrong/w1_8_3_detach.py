import torch
def dropout(x, p, training, generator):
    if not training or p == 0: return x
    if p == 1: return torch.zeros_like(x)
    x = x.detach()
    return x * (torch.rand(x.shape, generator=generator, dtype=x.dtype) >= p) / (1 - p)
