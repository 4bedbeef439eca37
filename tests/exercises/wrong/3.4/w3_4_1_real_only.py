import torch
import torch.nn.functional as F


def discriminator_loss(discriminator, real, fake):
    real_logits = discriminator(real)
    return F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
