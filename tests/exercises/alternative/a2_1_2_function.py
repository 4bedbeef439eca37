"""Обычная функция вместо Compose: поведение то же."""

import numpy as np
import torch


def image_transform(mean, std):
    mean = torch.tensor(mean, dtype=torch.float32).view(-1, 1, 1)
    std = torch.tensor(std, dtype=torch.float32).view(-1, 1, 1)

    def transform(image):
        pixels = torch.from_numpy(np.array(image, dtype=np.float32) / 255)
        if pixels.ndim == 2:
            pixels = pixels.unsqueeze(-1)
        return (pixels.permute(2, 0, 1) - mean) / std

    return transform
