"""Упражнение 1.9.2. Загрузить чекпойнт.

Напишите load_checkpoint(path, model, optimizer): прочитайте файл, сохранённый как в
упражнении 1.9.1 (словарь с ключами "model", "optimizer", "epoch"), и восстановите
из него состояние уже созданных model и optimizer. Верните число пройденных эпох
(int из ключа "epoch").

- читайте файл безопасно: torch.load(path, weights_only=True);
- модель и оптимизатор нужно изменить на месте (load_state_dict), а не создавать новые:
  снаружи на них уже есть ссылки;
- состояние оптимизатора (например, моменты Adam) тоже должно восстановиться: следующий
  шаг обучения после загрузки обязан совпасть с шагом «без перерыва».

Проверка: kurs check 1.9.2   Подсказка: kurs hint 1.9.2
"""

from pathlib import Path

import torch
from torch import nn


def load_checkpoint(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer) -> int:
    raise NotImplementedError
