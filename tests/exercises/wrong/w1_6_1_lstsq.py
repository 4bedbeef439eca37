import torch
def least_squares(X, y):
    A = torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], 1)
    t = torch.linalg.lstsq(A, y.unsqueeze(1)).solution[:, 0]
    return t[:-1], t[-1]
