import torch
import torch.nn.functional as F


def gan_step(generator, discriminator, g_optimizer, d_optimizer, real, z):
    bce = F.binary_cross_entropy_with_logits
    fake = generator(z)
    real_logits, fake_logits = discriminator(real), discriminator(fake.detach())
    d_loss = bce(real_logits, torch.ones_like(real_logits)) + bce(
        fake_logits, torch.zeros_like(fake_logits)
    )
    d_optimizer.zero_grad()
    d_loss.backward()
    d_optimizer.step()
    fake_logits = discriminator(fake)
    g_loss = -bce(fake_logits, torch.zeros_like(fake_logits))  # ln(1 − D(G(z)))
    g_optimizer.zero_grad()
    g_loss.backward()
    g_optimizer.step()
    return d_loss.item(), g_loss.item()
