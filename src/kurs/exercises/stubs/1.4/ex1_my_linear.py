"""Упражнение 1.4.1. Свой линейный слой.

Напишите класс MyLinear — аналог nn.Linear, но со своими параметрами:

- MyLinear(in_features, out_features, bias=True) — подкласс nn.Module;
- параметр weight формы (out_features, in_features) и, если bias=True, параметр bias
  формы (out_features,); оба — nn.Parameter из float32, чтобы модуль их «видел»:
  они должны попасть в parameters(), named_parameters() и state_dict() под именами
  «weight» и «bias»; при bias=False параметра bias быть не должно;
- начальные значения — любые разумные, например равномерные на
  [−1/√in_features, 1/√in_features];
- forward(x): x формы (..., in_features) → y формы (..., out_features),
  y = x · weightᵀ + bias. Оси в начале («...») могут быть любыми.

nn.Linear и torch.nn.functional.linear использовать нельзя.

Проверка: kurs check 1.4.1   Подсказка: kurs hint 1.4.1
"""

import torch
from torch import nn


class MyLinear(nn.Module):
    def __init__(self, in_features: int, out_features: int, bias: bool = True):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError
