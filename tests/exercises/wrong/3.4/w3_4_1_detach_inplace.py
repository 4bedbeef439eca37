import torch
import torch.nn.functional as F


def discriminator_loss(discriminator, real, fake):
    fake.detach_()  # с подчёркиванием: отрезает от генератора сам вход
    real_logits, fake_logits = discriminator(real), discriminator(fake)
    return F.binary_cross_entropy_with_logits(
        real_logits, torch.ones_like(real_logits)
    ) + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
