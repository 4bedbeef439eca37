import torch
def dropout(x, p, training, generator):
    if not training or p == 0: return x
    if p == 1: return torch.zeros_like(x)
    return x * (torch.rand(x.shape, dtype=x.dtype) >= p) / (1 - p)
