def clip_gradients(parameters, max_norm):
    params = [p for p in parameters if p.grad is not None]
    total = sum((p.grad**2).sum() for p in params) ** 0.5
    for p in params:
        p.grad.mul_(max_norm / total)
    return total
