import torch
def split_indices(n, val_fraction, seed):
    k = int(n * val_fraction)
    g = torch.Generator().manual_seed(seed)
    return torch.randperm(n, generator=g)[k:], torch.randperm(n, generator=g)[:k]
