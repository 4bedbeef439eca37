import math

import torch


def make_grid(images, nrow=8, padding=2):
    if images.shape[1] == 1:
        images = images.repeat(1, 3, 1, 1)
    n, c, h, w = images.shape
    rows = math.ceil(n / nrow)
    grid = torch.zeros(c, rows * (h + padding) + padding, nrow * (w + padding) + padding)
    for k in range(n):
        top = (k // nrow) * (h + padding) + padding
        left = (k % nrow) * (w + padding) + padding
        grid[:, top : top + h, left : left + w] = images[k]
    return grid
