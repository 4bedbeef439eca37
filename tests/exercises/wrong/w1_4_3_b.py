import torch
class MomentumSGD:
    def __init__(self, params, lr, momentum=0.0):
        self.params = list(params); self.lr = lr
    def step(self):
        for p in self.params:
            if p.grad is None: continue
            p -= self.lr * p.grad
    def zero_grad(self):
        for p in self.params: p.grad = None
