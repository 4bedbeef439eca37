"""Эталон 3.1.2: потоки — строки матрицы, окна идут подряд с шагом seq_len."""

import torch


def tbptt_batches(
    data: torch.Tensor, batch_size: int, seq_len: int
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    length = len(data) // batch_size
    streams = data[: length * batch_size].view(batch_size, length)
    return [
        (streams[:, p : p + seq_len], streams[:, p + 1 : p + seq_len + 1])
        for p in range(0, length - seq_len, seq_len)
    ]
