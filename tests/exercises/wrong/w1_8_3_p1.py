import torch
def dropout(x, p, training, generator):
    if not training or p == 0: return x
    return x * (torch.rand(x.shape, generator=generator, dtype=x.dtype) >= p) / (1 - p)
