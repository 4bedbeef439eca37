import torch


def channel_stats(images):
    pixels = images.double() / 255
    return pixels.mean(dim=(0, 2, 3)), pixels.std(dim=(0, 2, 3))
