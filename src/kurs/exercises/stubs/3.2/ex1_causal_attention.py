"""Упражнение 3.2.1. Причинное внимание руками.

Напишите causal_attention(q, k, v): внимание со скалярным произведением и причинной
маской, без готовых функций внимания PyTorch.

- q, k — (..., T, d), v — (..., T, d_v); впереди может быть сколько угодно осей
  (батч, головы), все они независимы;
- оценки sᵢⱼ = qᵢ·kⱼ / √d; позиция i смотрит только на позиции j ≤ i: остальным
  оценкам поставьте −∞ до softmax;
- веса — softmax оценок по j (по ключам), ответ позиции i — Σⱼ весᵢⱼ · vⱼ;
- верните тензор формы (..., T, d_v); градиент должен доходить до q, k и v.

F.scaled_dot_product_attention и nn.MultiheadAttention здесь вызывать нельзя: с первой
проверка как раз и сравнит ваш ответ.

Проверка: kurs check 3.2.1   Подсказка: kurs hint 3.2.1
"""

import torch


def causal_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError
