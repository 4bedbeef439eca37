"""Потоки срезами из data, батчи собираются циклом while и torch.stack."""

import torch


def tbptt_batches(data, batch_size, seq_len):
    length = len(data) // batch_size
    streams = [data[i * length : (i + 1) * length] for i in range(batch_size)]
    batches, position = [], 0
    while position + seq_len + 1 <= length:
        X = torch.stack([s[position : position + seq_len] for s in streams])
        y = torch.stack([s[position + 1 : position + seq_len + 1] for s in streams])
        batches.append((X, y))
        position += seq_len
    return batches
