import torch
def split_indices(n, val_fraction, seed):
    k = round(n * val_fraction)
    o = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    return o[k:], o[:k]
