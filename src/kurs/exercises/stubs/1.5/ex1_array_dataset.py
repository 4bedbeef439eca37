"""Упражнение 1.5.1. Dataset для массивов NumPy.

Напишите класс ArrayDataset — подкласс torch.utils.data.Dataset для данных, которые
лежат в двух массивах NumPy:

- ArrayDataset(features, labels, transform=None):
    features — массив формы (N, D) любого числового типа (float64, int32, ...);
    labels — массив формы (N,) с целыми номерами классов любого целого типа;
    transform — None или функция, которая принимает тензор признаков (D,) и возвращает
    новый тензор;
- len(dataset) == N;
- dataset[i] — пара (x, y): x — тензор float32 формы (D,) (после transform, если он
  задан), y — 0-мерный тензор int64. Отрицательные номера работают как в списке:
  dataset[-1] — последний пример;
- если длины features и labels не совпадают, бросьте ValueError с понятным текстом.

С таким набором DataLoader сам собирает батчи: x формы (B, D) и y формы (B,).

Проверка: kurs check 1.5.1   Подсказка: kurs hint 1.5.1
"""

from collections.abc import Callable

import numpy as np
import torch
from torch.utils.data import Dataset


class ArrayDataset(Dataset):
    def __init__(
        self,
        features: np.ndarray,
        labels: np.ndarray,
        transform: Callable[[torch.Tensor], torch.Tensor] | None = None,
    ):
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError
