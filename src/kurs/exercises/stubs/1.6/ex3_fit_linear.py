"""Упражнение 1.6.3. Линейная регрессия градиентным спуском.

Напишите fit_linear(X, y, lr, epochs): обучите линейную модель и верните её.
- X — признаки формы (N, D), y — ответы формы (N,), dtype float32;
- модель — nn.Linear(D, 1); перед обучением обнулите её вес и смещение (под
  torch.no_grad() или через nn.init.zeros_), чтобы результат не зависел от случайной
  инициализации;
- функция потерь — nn.MSELoss(), оптимизатор — torch.optim.SGD(параметры, lr=lr)
  без импульса;
- обучение — ровно epochs шагов, в каждом участвуют все N точек сразу (полный батч);
- верните обученный nn.Linear.

Осторожно с формами: модель выдаёт (N, 1), а y имеет форму (N,). Что сделает MSELoss,
если подать ему такие тензоры как есть?

Проверка: kurs check 1.6.3   Подсказка: kurs hint 1.6.3
"""

import torch
from torch import nn


def fit_linear(X: torch.Tensor, y: torch.Tensor, lr: float, epochs: int) -> nn.Linear:
    raise NotImplementedError
