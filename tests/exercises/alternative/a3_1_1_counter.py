"""Счётчики словарями Python и math.log2 — без тензорных трюков."""

import math
from collections import Counter


def bigram_bits_per_char(train_ids, val_ids, vocab_size, alpha):
    train, val = train_ids.tolist(), val_ids.tolist()
    pairs = Counter(zip(train[:-1], train[1:], strict=True))
    firsts = Counter(train[:-1])
    total = 0.0
    for a, b in zip(val[:-1], val[1:], strict=True):
        total -= math.log2((pairs[a, b] + alpha) / (firsts[a] + alpha * vocab_size))
    return total / (len(val) - 1)
