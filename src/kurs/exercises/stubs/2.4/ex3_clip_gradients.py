"""Упражнение 2.4.3. Обрезка градиента своими руками.

Повторите nn.utils.clip_grad_norm_ (урок 2.4). Напишите clip_gradients(parameters,
max_norm):

- parameters — параметры модели: список или генератор, как model.parameters();
  у некоторых может быть p.grad = None — такие пропускайте;
- общая норма — корень из суммы квадратов всех элементов всех градиентов:
  ‖g‖ = √(Σ по параметрам Σ по элементам g²);
- если ‖g‖ > max_norm, умножьте каждый градиент на одно и то же число max_norm / ‖g‖
  на месте (p.grad.mul_(…)); иначе ничего не меняйте;
- верните ‖g‖ до обрезки (число или тензор из одного числа).

Функции torch.nn.utils для обрезки и подсчёта нормы вызывать нельзя.

Проверка: kurs check 2.4.3   Подсказка: kurs hint 2.4.3
"""

import torch


def clip_gradients(parameters, max_norm: float) -> torch.Tensor:
    raise NotImplementedError
