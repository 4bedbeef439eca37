"""Упражнение 3.4.2. Один шаг GAN.

Напишите gan_step(generator, discriminator, g_optimizer, d_optimizer, real, z) — один шаг
игры из урока:

1. fake = generator(z);
2. шаг дискриминатора: потери BCE по логитам «настоящие → 1, подделки → 0» (сумма двух
   средних, подделки — без градиента в генератор), обнуление градиентов, backward, шаг
   d_optimizer;
3. шаг генератора — уже с обновлённым дискриминатором: ненасыщающиеся потери
   «подделки → 1» на тех же fake, обнуление градиентов, backward, шаг g_optimizer.

Верните пару чисел (потери дискриминатора, потери генератора) — их значения до шагов
оптимизаторов, как у loss.item(). Функцию вызывают много раз подряд на одних и тех же
моделях и оптимизаторах; каждый шаг должен быть таким же, как в уроке.

Проверка: kurs check 3.4.2   Подсказка: kurs hint 3.4.2
"""

import torch
from torch import nn


def gan_step(
    generator: nn.Module,
    discriminator: nn.Module,
    g_optimizer: torch.optim.Optimizer,
    d_optimizer: torch.optim.Optimizer,
    real: torch.Tensor,
    z: torch.Tensor,
) -> tuple[float, float]:
    raise NotImplementedError
