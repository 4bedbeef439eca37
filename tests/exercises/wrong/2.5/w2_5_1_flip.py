import torch


def reverse_padded(x, lengths):
    return x.flip(1)
