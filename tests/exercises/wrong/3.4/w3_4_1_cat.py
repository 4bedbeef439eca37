import torch
import torch.nn.functional as F


def discriminator_loss(discriminator, real, fake):
    # Один батч из настоящих и подделок: это среднее двух потерь, а не сумма.
    logits = discriminator(torch.cat([real, fake.detach()]))
    targets = torch.cat([torch.ones(len(real), 1), torch.zeros(len(fake), 1)])
    return F.binary_cross_entropy_with_logits(logits, targets)
