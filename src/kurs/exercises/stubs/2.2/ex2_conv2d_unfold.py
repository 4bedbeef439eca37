"""Упражнение 2.2.2. Свёртка как unfold и умножение матриц.

Свёртку можно посчитать одним умножением матриц: F.unfold вырезает из картинки все
окна kernel_size и кладёт каждое столбцом длины C_in · kh · kw. Напишите
conv2d_unfold(x, weight, bias=None, stride=1, padding=0), которая считает то же, что
F.conv2d(x, weight, bias, stride=stride, padding=padding):

- x — (N, C_in, H, W), weight — (C_out, C_in, kh, kw), bias — (C_out,) или None;
- stride и padding — целые числа (одинаковые по обеим осям);
- верните тензор (N, C_out, H_out, W_out); размеры выхода — по формуле из урока
  (упражнение 2.2.1), по высоте и ширине отдельно;
- градиенты по x и weight должны считаться, как у F.conv2d.

Свёрточные функции (F.conv2d, torch.conv2d, nn.Conv2d) вызывать нельзя; F.unfold можно.

Проверка: kurs check 2.2.2   Подсказка: kurs hint 2.2.2
"""

import torch
import torch.nn.functional as F  # noqa: F401 — пригодится: F.unfold


def conv2d_unfold(
    x: torch.Tensor,
    weight: torch.Tensor,
    bias: torch.Tensor | None = None,
    stride: int = 1,
    padding: int = 0,
) -> torch.Tensor:
    raise NotImplementedError
