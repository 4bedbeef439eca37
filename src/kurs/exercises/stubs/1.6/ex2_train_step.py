"""Упражнение 1.6.2. Один шаг обучения.

Напишите train_step(model, X, y, optimizer, criterion): один шаг обучения на батче
(X, y) из пяти действий, которые повторяются в любом цикле обучения PyTorch:
прямой проход, функция потерь, обнуление градиентов, обратный проход, шаг оптимизатора.

- model — любая nn.Module, optimizer уже создан для её параметров, criterion —
  функция потерь вида criterion(предсказание, y);
- верните значение потерь ДО шага оптимизатора как обычное число Python (float),
  а не тензор: число можно складывать в список, не держа в памяти граф вычислений;
- в .grad параметров перед вызовом может лежать что угодно (остатки прошлых шагов):
  ваш шаг не должен от этого зависеть.

Проверка: kurs check 1.6.2   Подсказка: kurs hint 1.6.2
"""

import torch
from torch import nn


def train_step(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    optimizer: torch.optim.Optimizer,
    criterion: nn.Module,
) -> float:
    raise NotImplementedError
