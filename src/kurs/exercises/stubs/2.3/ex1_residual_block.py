"""Упражнение 2.3.1. Остаточный блок.

Напишите проход вперёд остаточного блока ResNet (урок 2.3) из готовых слоёв:
residual_block(x, conv1, bn1, conv2, bn2, downsample=None):

- x — вход (N, C, H, W); conv1, bn1, conv2, bn2 — слои блока (nn.Conv2d и
  nn.BatchNorm2d), downsample — None или модуль, приводящий x к форме выхода;
- основная ветка: F(x) = bn2(conv2(ReLU(bn1(conv1(x)))));
- обходная ветка: x, а если downsample не None — downsample(x);
- верните ReLU(F(x) + обходная ветка).

Слои уже в нужном режиме (train или eval) — режим не меняйте. Вход x не меняйте на месте.

Проверка: kurs check 2.3.1   Подсказка: kurs hint 2.3.1
"""

import torch
from torch import nn


def residual_block(
    x: torch.Tensor,
    conv1: nn.Module,
    bn1: nn.Module,
    conv2: nn.Module,
    bn2: nn.Module,
    downsample: nn.Module | None = None,
) -> torch.Tensor:
    raise NotImplementedError
