"""Упражнение 1.3.1. Цепное правило вручную.

Для выражения a = (b + c) * (c + 2) верните производные ∂a/∂b и ∂a/∂c,
выведенные на бумаге по цепному правилу. b и c — тензоры одной формы; производные
берутся поэлементно, поэтому и ответ — два тензора той же формы.

Пользоваться автоградом (backward, torch.autograd.grad) здесь нельзя: смысл
упражнения в том, чтобы вывести формулы самому.

Проверка: kurs check 1.3.1   Подсказка: kurs hint 1.3.1
"""

import torch


def chain_rule(b: torch.Tensor, c: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    raise NotImplementedError
