import torch
class MomentumSGD:
    def __init__(self, params, lr, momentum=0.0):
        self.params = params; self.lr = lr; self.m = momentum
        self.v = {}
    @torch.no_grad()
    def step(self):
        for p in self.params:
            if p.grad is None: continue
            v = self.v.get(id(p), torch.zeros_like(p))
            v = self.m * v + p.grad
            self.v[id(p)] = v
            p -= self.lr * v
    def zero_grad(self):
        for p in self.params: p.grad = None
