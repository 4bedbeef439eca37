"""Упражнение 2.1.1. Среднее и стандартное отклонение каждого канала.

Числа для v2.Normalize(mean, std) считают по обучающей части набора. Напишите
channel_stats(images):

- images — тензор uint8 формы (N, C, H, W): N картинок, C каналов, яркость 0…255;
- переведите яркость в [0, 1] (как v2.ToDtype(torch.float32, scale=True));
- верните пару (mean, std): два тензора float32 формы (C,) — среднее и стандартное
  отклонение каждого канала по всем картинкам и всем пикселям;
- images не меняйте на месте.

Пример: у набора из одной картинки 1×1×2×2 с пикселями 0, 0, 255, 255 среднее
(0.5,), а стандартное отклонение около (0.577,).

Проверка: kurs check 2.1.1   Подсказка: kurs hint 2.1.1
"""

import torch


def channel_stats(images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    raise NotImplementedError
