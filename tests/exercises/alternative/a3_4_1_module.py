"""nn.BCEWithLogitsLoss как модуль и fake.detach() через with torch.no_grad() не нужен."""

import torch
from torch import nn


def discriminator_loss(discriminator, real, fake):
    criterion = nn.BCEWithLogitsLoss()
    real_logits = discriminator(real)
    fake_logits = discriminator(fake.detach().clone())
    return criterion(real_logits, torch.ones(len(real), 1)) + criterion(
        fake_logits, torch.zeros(len(fake), 1)
    )
