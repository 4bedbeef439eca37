from torch.nn import functional as F


def masked_cross_entropy(logits, targets, lengths):
    return F.cross_entropy(logits.transpose(1, 2), targets)
