import torch
from torch.nn import functional as F


def masked_cross_entropy(logits, targets, lengths):
    per_step = F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")
    mask = torch.arange(logits.shape[1])[None, :] < lengths[:, None]
    return torch.tensor(per_step[mask].mean().item())
