import torch
from torch.nn import functional as F


def masked_cross_entropy(logits, targets, lengths):
    means = [F.cross_entropy(logits[i, :n], targets[i, :n]) for i, n in enumerate(lengths.tolist())]
    return torch.stack(means).mean()
