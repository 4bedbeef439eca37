import torch
def fill_missing(x):
    m = torch.isnan(x)
    x[m] = 0
    return x
