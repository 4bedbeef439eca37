"""Упражнение 1.3.2. Численный градиент.

Напишите numerical_gradient(f, x, eps): градиент скалярной функции f в точке x,
посчитанный центральными разностями: для каждого элемента xᵢ
    ∂f/∂xᵢ ≈ (f(x + eps·eᵢ) − f(x − eps·eᵢ)) / (2·eps),
где eᵢ — тензор из нулей с единицей на месте i. Так проверяют, что автоград
(или выведенная вручную формула) посчитан верно.

- x может быть любой формы; ответ — тензор той же формы и того же dtype;
- f возвращает 0-мерный тензор; входной x менять нельзя (работайте с копией);
- автоград (backward, torch.autograd.grad) не используйте.

Проверка: kurs check 1.3.2   Подсказка: kurs hint 1.3.2
"""

from collections.abc import Callable

import torch


def numerical_gradient(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, eps: float = 1e-3
) -> torch.Tensor:
    raise NotImplementedError
