import torch


def bigram_bits_per_char(train_ids, val_ids, vocab_size, alpha):
    counts = torch.zeros(vocab_size, vocab_size, dtype=torch.float64)
    for a, b in zip(train_ids[:-1].tolist(), train_ids[1:].tolist()):
        counts[a, b] += 1
    probs = (counts + alpha) / (counts + alpha).sum(dim=1, keepdim=True)
    return -probs[val_ids[:-1], val_ids[1:]].log().mean()
