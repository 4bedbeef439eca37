"""Упражнение 1.4.3. Свой оптимизатор: SGD с импульсом.

Напишите класс MomentumSGD, который ведёт себя как torch.optim.SGD(params, lr, momentum):

- MomentumSGD(params, lr, momentum=0.0): params — любой перебираемый набор параметров
  (список или, например, model.parameters());
- для каждого параметра p оптимизатор хранит накопленный шаг v (буфер импульса) (вначале нули той же формы);
- step(): для каждого p, у которого p.grad не None,
      v = momentum · v + p.grad
      p = p − lr · v
  — причём p меняется на месте: это тот же самый тензор, что и в модели, он остаётся
  листом графа с requires_grad=True; параметры с p.grad = None пропускаются;
- zero_grad(): стирает градиенты всех параметров (p.grad = None или нули).

При momentum=0 это обычный шаг p − lr · grad. torch.optim.SGD использовать нельзя.

Проверка: kurs check 1.4.3   Подсказка: kurs hint 1.4.3
"""

from collections.abc import Iterable

import torch


class MomentumSGD:
    def __init__(self, params: Iterable[torch.Tensor], lr: float, momentum: float = 0.0):
        raise NotImplementedError

    def step(self) -> None:
        raise NotImplementedError

    def zero_grad(self) -> None:
        raise NotImplementedError
