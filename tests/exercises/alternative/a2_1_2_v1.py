"""Старые преобразования torchvision.transforms (v1): ToTensor делит на 255 и переставляет оси."""

from torchvision import transforms


def image_transform(mean, std):
    return transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean, std)])
