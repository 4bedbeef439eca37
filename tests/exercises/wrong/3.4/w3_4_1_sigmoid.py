import torch
from torch import nn


def discriminator_loss(discriminator, real, fake):
    criterion = nn.BCEWithLogitsLoss()
    real_p = torch.sigmoid(discriminator(real))
    fake_p = torch.sigmoid(discriminator(fake.detach()))
    return criterion(real_p, torch.ones_like(real_p)) + criterion(fake_p, torch.zeros_like(fake_p))
