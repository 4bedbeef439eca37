"""Эталон 1.5.2: тензор нулей нужного размера, в который копируем каждую строку."""

import torch


def pad_collate(
    batch: list[tuple[torch.Tensor, int]],
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    sequences = [sequence for sequence, _ in batch]
    lengths = torch.tensor([len(sequence) for sequence in sequences])
    max_len, features = int(lengths.max()), sequences[0].shape[1]
    padded = torch.zeros(len(batch), max_len, features, dtype=torch.float32)
    for row, sequence in enumerate(sequences):
        padded[row, : len(sequence)] = sequence
    mask = torch.arange(max_len) < lengths[:, None]
    labels = torch.tensor([label for _, label in batch], dtype=torch.int64)
    return padded, mask, labels
