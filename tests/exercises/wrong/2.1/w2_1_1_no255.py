import torch


def channel_stats(images):
    pixels = images.float()
    return pixels.mean(dim=(0, 2, 3)), pixels.std(dim=(0, 2, 3))
