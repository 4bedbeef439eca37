import torch


def channel_stats(images):
    pixels = images.float() / 255
    return pixels.mean(dim=(2, 3)), pixels.std(dim=(2, 3))
