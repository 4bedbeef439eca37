import torch
def standardize(train, test):
    f = lambda t: (t - t.mean(0)) / torch.where(t.std(0) == 0, torch.ones_like(t.std(0)), t.std(0))
    return f(train), f(test)
