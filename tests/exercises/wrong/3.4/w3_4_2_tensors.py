"""Неверное 3.4.2: шаг верный, но возвращены тензоры потерь, а не числа."""

import torch
import torch.nn.functional as F
from torch import nn


def gan_step(
    generator: nn.Module,
    discriminator: nn.Module,
    g_optimizer: torch.optim.Optimizer,
    d_optimizer: torch.optim.Optimizer,
    real: torch.Tensor,
    z: torch.Tensor,
) -> tuple[float, float]:
    fake = generator(z)

    real_logits = discriminator(real)
    fake_logits = discriminator(fake.detach())
    d_loss = F.binary_cross_entropy_with_logits(
        real_logits, torch.ones_like(real_logits)
    ) + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    d_optimizer.zero_grad()
    d_loss.backward()
    d_optimizer.step()

    fake_logits = discriminator(fake)
    g_loss = F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
    g_optimizer.zero_grad()
    g_loss.backward()
    g_optimizer.step()
    return d_loss, g_loss  # тензоры, а не числа
