import torch


def bigram_bits_per_char(train_ids, val_ids, vocab_size, alpha):
    pairs = train_ids[:-1] * vocab_size + train_ids[1:]
    counts = torch.bincount(pairs, minlength=vocab_size**2).view(vocab_size, vocab_size) + alpha
    probs = counts / counts.sum(dim=0, keepdim=True)
    return -probs[val_ids[:-1], val_ids[1:]].log2().mean().item()
