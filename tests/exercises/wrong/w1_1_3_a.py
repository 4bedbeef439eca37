import torch
def as_float32(array):
    return torch.tensor(array, dtype=torch.float32)
