import torch
from torch import nn
def fit_linear(X, y, lr, epochs):
    model = nn.Linear(X.shape[1], 1); nn.init.zeros_(model.weight); nn.init.zeros_(model.bias)
    opt = torch.optim.SGD(model.parameters(), lr=lr); crit = nn.MSELoss()
    for _ in range(epochs * 10):
        loss = crit(model(X), y[:, None]); opt.zero_grad(); loss.backward(); opt.step()
    return model
