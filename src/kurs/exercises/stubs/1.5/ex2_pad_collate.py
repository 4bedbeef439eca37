"""Упражнение 1.5.2. Склейка последовательностей разной длины с маской.

Каждый пример набора — пара (sequence, label): sequence — тензор float32 формы (L, F),
где длина L у каждого примера своя (L ≥ 1), а число признаков F у всех одно; label —
целое число Python (номер класса). Напишите collate_fn для DataLoader:
pad_collate(batch) получает список из B таких пар и возвращает тройку

    (padded, mask, labels):
    padded — float32 формы (B, L_max, F): последовательности одна под другой,
             короткие дописаны в конце нулями; L_max — наибольшая длина в этом батче;
    mask   — bool формы (B, L_max): True там, где стоит настоящий элемент, False на
             дописанных местах;
    labels — int64 формы (B,).

Готовую torch.nn.utils.rnn.pad_sequence использовать нельзя. Входные тензоры не меняйте.

Проверка: kurs check 1.5.2   Подсказка: kurs hint 1.5.2
"""

import torch


def pad_collate(
    batch: list[tuple[torch.Tensor, int]],
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    raise NotImplementedError
