"""Упражнение 1.9.4. Обучение, которое переживает перезапуск.

Напишите train_with_checkpoints(model, optimizer, train_one_epoch, num_epochs, path):
- если файла path ещё нет, обучение начинается с эпохи 0;
- если файл есть, это чекпойнт в формате упражнения 1.9.1 (ключи "model",
  "optimizer", "epoch" — сколько эпох уже пройдено): восстановите из него model и
  optimizer и продолжите с первой непройденной эпохи;
- каждую эпоху проводит вызов train_one_epoch(model, optimizer, epoch), где epoch —
  номер эпохи, считая с 0; всего эпох должно быть пройдено num_epochs;
- после каждой эпохи перезаписывайте чекпойнт в path, чтобы сбой в любой момент
  стоил не больше одной эпохи.

Главное требование: если обучение прервать, а потом запустить заново с новыми model и
optimizer (их начальные веса другие!), итоговые веса должны в точности совпасть с
весами обучения без перерыва. Функции из 1.9.1 и 1.9.2 можно скопировать в этот файл.
Функция ничего не возвращает. Читайте файл через torch.load(..., weights_only=True).

Проверка: kurs check 1.9.4   Подсказка: kurs hint 1.9.4
"""

from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn


def train_with_checkpoints(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    train_one_epoch: Callable[[nn.Module, torch.optim.Optimizer, int], None],
    num_epochs: int,
    path: str | Path,
) -> None:
    raise NotImplementedError
