import torch
def split_indices(n, val_fraction, seed):
    torch.manual_seed(seed)
    o = torch.randperm(n); k = int(n * val_fraction)
    return o[k:], o[:k]
