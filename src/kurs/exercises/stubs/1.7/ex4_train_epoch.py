"""Упражнение 1.7.4. Эпоха обучения по батчам.

Напишите train_epoch(model, loader, criterion, optimizer): одну эпоху обучения — один
проход по всем батчам loader — и верните среднюю потерю за эпоху.

- в начале переведите модель в режим обучения: model.train() (её могли оставить в
  режиме eval() после оценки);
- для каждого батча (x, y) из loader: прямой проход model(x), функция потерь
  criterion(логиты, y), обнуление градиентов, обратный проход, шаг оптимизатора —
  один шаг на каждый батч;
- criterion усредняет потерю внутри батча. Верните среднюю потерю по всем примерам
  эпохи как обычное число Python (float): сумма loss.item() · (размер батча) по всем
  батчам, делённая на число примеров. Последний батч бывает меньше остальных, поэтому
  простое среднее потерь батчей — не то же самое;
- копите числа (loss.item()), а не тензоры: тензор потерь держит на себе граф.

Проверка: kurs check 1.7.4   Подсказка: kurs hint 1.7.4
"""

from collections.abc import Iterable

import torch
from torch import nn


def train_epoch(
    model: nn.Module,
    loader: Iterable[tuple[torch.Tensor, torch.Tensor]],
    criterion: nn.Module,
    optimizer: torch.optim.Optimizer,
) -> float:
    raise NotImplementedError
