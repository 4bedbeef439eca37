import torch
def split_indices(n, val_fraction, seed):
    k = int(n * val_fraction)
    o = torch.randperm(n, generator=torch.Generator().manual_seed(0))
    return o[k:], o[:k]
