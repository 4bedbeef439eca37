import torch
def chessboard(rows, cols, dtype=torch.float32):
    return (torch.arange(rows * cols).reshape(rows, cols) % 2).to(dtype)
