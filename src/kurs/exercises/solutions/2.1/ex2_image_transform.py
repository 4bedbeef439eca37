"""Эталон 2.1.2: ToImage → ToDtype(scale=True) → Normalize."""

import torch
from torchvision.transforms import v2


def image_transform(mean: tuple[float, ...], std: tuple[float, ...]):
    return v2.Compose(
        [v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean, std)]
    )
