import torch


def bigram_bits_per_char(train_ids, val_ids, vocab_size, alpha):
    counts = torch.bincount(train_ids, minlength=vocab_size).double() + alpha
    return -(counts / counts.sum())[val_ids[1:]].log2().mean().item()
