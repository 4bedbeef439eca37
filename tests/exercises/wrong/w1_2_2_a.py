import torch
def pairwise_distances(a, b):
    return ((a - b) ** 2).sum(-1).sqrt()
