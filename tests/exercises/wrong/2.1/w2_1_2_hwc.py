import numpy as np
import torch


def image_transform(mean, std):
    def transform(image):
        x = torch.from_numpy(np.array(image)).float() / 255
        if x.ndim == 2:
            x = x[..., None]
        return (x - torch.tensor(mean)) / torch.tensor(std)

    return transform
