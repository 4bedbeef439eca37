import torch


def reverse_padded(x, lengths):
    for i, length in enumerate(lengths.tolist()):
        x[i, :length] = x[i, :length].flip(0)
    return x
