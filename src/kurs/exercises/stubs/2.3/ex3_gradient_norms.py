"""Упражнение 2.3.3. Нормы градиентов по слоям.

В уроке 2.3 нормы градиентов свёрток показали, как сигнал обучения проходит сквозь
глубокую сеть. Напишите conv_gradient_norms(model, X, y):

- model — сеть в режиме train(); в её .grad могут лежать градиенты прошлого шага;
- X — батч картинок, y — метки классов (int64);
- посчитайте функцию потерь nn.functional.cross_entropy(model(X), y) (среднее по батчу)
  и её градиенты; от прошлых градиентов ничего не должно остаться;
- верните одномерный тензор: для каждого слоя nn.Conv2d в порядке model.modules() —
  норму градиента его весов ‖∂L/∂W‖ (только weight, без bias).

Режим модели не меняйте и шаг оптимизатора не делайте.

Проверка: kurs check 2.3.3   Подсказка: kurs hint 2.3.3
"""

import torch
from torch import nn


def conv_gradient_norms(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError
