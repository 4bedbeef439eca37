import torch
def minimize(f, x0, lr, steps):
    x = x0.detach().clone().requires_grad_(True)
    opt = torch.optim.SGD([x], lr=lr)
    for _ in range(steps):
        opt.zero_grad(); f(x).backward(); opt.step()
    return x.detach()
