"""Норма через math.sqrt и цикл, масштаб — in-place умножением p.grad *= k."""

import math


def clip_gradients(parameters, max_norm):
    params = list(parameters)
    squares = 0.0
    for p in params:
        if p.grad is not None:
            squares += float((p.grad.double() ** 2).sum())
    total = math.sqrt(squares)
    if total > max_norm:
        scale = max_norm / total
        for p in params:
            if p.grad is not None:
                p.grad *= scale
    return total
