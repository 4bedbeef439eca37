import torch
def split_indices(n, val_fraction, seed):
    k = int(n * val_fraction)
    o = torch.arange(n)
    return o[:n-k], o[n-k:]
