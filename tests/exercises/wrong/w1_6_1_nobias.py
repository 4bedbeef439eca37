import torch
def least_squares(X, y):
    t = torch.linalg.solve(X.T @ X, X.T @ y)
    return t, torch.tensor(0.0)
