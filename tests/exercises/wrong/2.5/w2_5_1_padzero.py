import torch


def reverse_padded(x, lengths):
    result = torch.zeros_like(x)
    for i, length in enumerate(lengths.tolist()):
        result[i, :length] = x[i, :length].flip(0)
    return result
