"""Упражнение 1.9.1. Сохранить чекпойнт.

Напишите save_checkpoint(path, model, optimizer, epoch): сохраните в файл path
(функцией torch.save) словарь ровно с тремя ключами:
- "model" — model.state_dict();
- "optimizer" — optimizer.state_dict();
- "epoch" — сколько эпох уже пройдено, обычное целое число Python (int).

Файл должен открываться через torch.load(path, weights_only=True): внутри только
тензоры, числа, строки, списки и словари. Поэтому сохранять сам объект модели или
оптимизатора (torch.save(model, ...)) нельзя. Модель и оптимизатор не меняйте.
Функция ничего не возвращает.

Проверка: kurs check 1.9.1   Подсказка: kurs hint 1.9.1
"""

from pathlib import Path

import torch
from torch import nn


def save_checkpoint(
    path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer, epoch: int
) -> None:
    raise NotImplementedError
