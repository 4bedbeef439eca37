import torch
def least_squares(X, y):
    A = torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], 1)
    t = torch.linalg.solve(A.T @ A, A.T @ y)
    return t[:-1], t[-1:]
