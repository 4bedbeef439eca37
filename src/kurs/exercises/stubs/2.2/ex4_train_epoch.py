"""Упражнение 2.2.4. Эпоха обучения с DataLoader.

Напишите train_epoch(model, loader, criterion, optimizer, device) — одну эпоху
обучения, как в уроке:

- переведите модель в режим обучения (в ней может быть BatchNorm или Dropout);
- для каждого батча (X, y) из loader: перенесите его на device, посчитайте
  функцию потерь criterion(model(X), y), обнулите градиенты, сделайте backward и шаг
  оптимизатора;
- верните среднюю потерю за эпоху числом float: потерю каждого батча (до шага)
  умножьте на размер батча, сложите и разделите на число примеров — последний батч
  бывает неполным.

Проверка: kurs check 2.2.4   Подсказка: kurs hint 2.2.4
"""

import torch
from torch import nn
from torch.utils.data import DataLoader


def train_epoch(
    model: nn.Module,
    loader: DataLoader,
    criterion: nn.Module,
    optimizer: torch.optim.Optimizer,
    device: torch.device,
) -> float:
    raise NotImplementedError
