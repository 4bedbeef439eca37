"""Упражнение 1.7.1. Доля верных ответов (accuracy).

Напишите accuracy(logits, targets): долю примеров, у которых класс с наибольшим
логитом совпал с правильным, — долю верных ответов (по-английски accuracy; не путайте
с точностью, precision, — это другая мера).
- logits — тензор формы (N, C) (N примеров, C классов), любой вещественный dtype;
- targets — номера правильных классов, тензор формы (N,) с dtype torch.int64;
- верните обычное число Python (float) от 0.0 до 1.0, а не тензор.

Циклы по примерам не нужны: всё делается тремя-четырьмя операциями над тензорами.

Проверка: kurs check 1.7.1   Подсказка: kurs hint 1.7.1
"""

import torch


def accuracy(logits: torch.Tensor, targets: torch.Tensor) -> float:
    raise NotImplementedError
