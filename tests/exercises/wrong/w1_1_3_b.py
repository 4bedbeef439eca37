import torch
def as_float32(array):
    return torch.from_numpy(array)
