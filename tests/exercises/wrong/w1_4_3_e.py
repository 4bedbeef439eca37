import torch
class MomentumSGD:
    def __init__(self, params, lr, momentum=0.0):
        self.params = list(params); self.lr = lr; self.m = momentum
        self.v = [torch.zeros_like(p) for p in self.params]
    @torch.no_grad()
    def step(self):
        for p, v in zip(self.params, self.v):
            v.mul_(self.m).add_(p.grad)
            p -= self.lr * v
    def zero_grad(self):
        for p in self.params: p.grad = None
