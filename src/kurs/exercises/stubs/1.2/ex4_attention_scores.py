"""Упражнение 1.2.4. Оценки внимания через einsum.

В механизме внимания (он встретится позже, в трансформерах) для каждого примера батча
считают, насколько каждый «запрос» похож на каждый «ключ». Даны:
    q формы (B, T, D) — запросы, k формы (B, S, D) — ключи, тип float32.
Напишите attention_scores(q, k): тензор формы (B, T, S), где

    scores[b, t, s] = Σ_d q[b, t, d] · k[b, s, d] / √D  (сумма по d).

- ответ — float32 формы (B, T, S); входы не меняйте;
- матричное умножение (@, torch.matmul, torch.bmm, torch.mm и методы тензора
  .matmul, .bmm, .mm) использовать нельзя: запишите это одной формулой torch.einsum.

Проверка: kurs check 1.2.4   Подсказка: kurs hint 1.2.4
"""

import torch


def attention_scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError
