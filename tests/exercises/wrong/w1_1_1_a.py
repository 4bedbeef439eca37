import torch
def numbered_grid(rows, cols, dtype=torch.int64):
    return torch.arange(rows * cols).reshape(rows, cols).to(dtype)
