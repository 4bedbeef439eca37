import torch


def channel_stats(images):
    pixels = images.float() / 255
    return pixels.mean(), pixels.std()
