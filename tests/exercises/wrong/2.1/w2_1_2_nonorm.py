import torch
from torchvision.transforms import v2


def image_transform(mean, std):
    return v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])
