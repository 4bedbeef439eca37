"""Упражнение 1.3.3. Значение и градиент за один проход.

Напишите value_and_grad(f, x): верните пару (f(x), ∂f/∂x), посчитав градиент
автоградом. f — скалярная функция, x — обычный тензор без requires_grad.

Требования, которые проверяются:
- входной x не меняется: у него после вызова по-прежнему requires_grad=False и нет .grad;
- оба результата «отцеплены» от графа (requires_grad=False): их можно сразу
  сохранять или рисовать;
- форма градиента совпадает с формой x.

Проверка: kurs check 1.3.3   Подсказка: kurs hint 1.3.3
"""

from collections.abc import Callable

import torch


def value_and_grad(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    raise NotImplementedError
