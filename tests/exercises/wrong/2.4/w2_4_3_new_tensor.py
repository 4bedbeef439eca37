def clip_gradients(parameters, max_norm):
    params = [p for p in parameters if p.grad is not None]
    total = sum((p.grad**2).sum() for p in params) ** 0.5
    if total > max_norm:
        for p in params:
            grad = p.grad * (max_norm / total)  # новый тензор, p.grad не изменился
            del grad
    return total
