"""BCELoss на вероятностях σ(логит) — численно менее надёжно, но для умеренных логитов верно."""

import torch
import torch.nn.functional as F


def discriminator_loss(discriminator, real, fake):
    p_real = torch.sigmoid(discriminator(real))
    p_fake = torch.sigmoid(discriminator(fake.detach()))
    return F.binary_cross_entropy(p_real, torch.ones_like(p_real)) + F.binary_cross_entropy(
        p_fake, torch.zeros_like(p_fake)
    )
