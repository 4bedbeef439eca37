"""Шаг G с выключенными градиентами дискриминатора и заново посчитанными подделками."""

import torch
from torch import nn


def gan_step(generator, discriminator, g_optimizer, d_optimizer, real, z):
    criterion = nn.BCEWithLogitsLoss()
    ones, zeros = torch.ones(len(real), 1), torch.zeros(len(z), 1)
    with torch.no_grad():
        fake = generator(z)
    d_loss = criterion(discriminator(real), ones) + criterion(discriminator(fake), zeros)
    d_optimizer.zero_grad()
    d_loss.backward()
    d_optimizer.step()

    discriminator.requires_grad_(False)
    g_loss = criterion(discriminator(generator(z)), ones)
    g_optimizer.zero_grad()
    g_loss.backward()
    g_optimizer.step()
    discriminator.requires_grad_(True)
    return d_loss.item(), g_loss.item()
