"""Метки дополнения заменены на ignore_index: cross_entropy сама их пропустит."""

import torch
from torch.nn import functional as F


def masked_cross_entropy(logits, targets, lengths):
    padding = torch.arange(targets.shape[1])[None, :] >= lengths[:, None]
    return F.cross_entropy(logits.permute(0, 2, 1), targets.masked_fill(padding, -100))
