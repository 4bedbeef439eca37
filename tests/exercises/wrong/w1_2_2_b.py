import torch
def pairwise_distances(a, b):
    return torch.cdist(a, b)
