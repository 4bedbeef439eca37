"""Эталон 3.4.1: BCE по логитам, настоящие → 1, подделки (отрезанные detach) → 0."""

import torch
import torch.nn.functional as F
from torch import nn


def discriminator_loss(
    discriminator: nn.Module, real: torch.Tensor, fake: torch.Tensor
) -> torch.Tensor:
    real_logits = discriminator(real)
    fake_logits = discriminator(fake.detach())
    real_loss = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
    fake_loss = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return real_loss + fake_loss
