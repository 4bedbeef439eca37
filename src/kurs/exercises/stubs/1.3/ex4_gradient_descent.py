"""Упражнение 1.3.4. Градиентный спуск на автограде — без оптимизатора.

Напишите minimize(f, x0, lr, steps): найдите минимум скалярной функции f градиентным
спуском, делая ровно steps шагов x ← x − lr · ∂f/∂x. Градиент считайте автоградом
(backward или torch.autograd.grad), а шаг делайте сами: оптимизаторы torch.optim
в этом упражнении запрещены.

Три ловушки, ради которых упражнение и написано:
- градиенты накапливаются: перед каждым новым backward старый .grad нужно обнулить;
- сам шаг не должен попадать в граф (torch.no_grad());
- входной x0 менять нельзя, а ответ должен быть «отцеплен» от графа (requires_grad=False).

Верните тензор той же формы и того же dtype, что x0.

Проверка: kurs check 1.3.4   Подсказка: kurs hint 1.3.4
"""

from collections.abc import Callable

import torch


def minimize(
    f: Callable[[torch.Tensor], torch.Tensor], x0: torch.Tensor, lr: float, steps: int
) -> torch.Tensor:
    raise NotImplementedError
