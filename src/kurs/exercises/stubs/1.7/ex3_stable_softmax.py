"""Упражнение 1.7.3. Устойчивый softmax своими руками.

Напишите softmax(logits, dim): softmax вдоль измерения dim,
    softmax(z)ᵢ = exp(zᵢ) / Σⱼ exp(zⱼ).
- logits — тензор любой формы и вещественного dtype; dim — номер измерения, может
  быть отрицательным (−1 — последнее); результат — той же формы и того же dtype;
- вдоль dim значения результата положительны и в сумме дают 1.

Формула «в лоб» ломается на больших логитах: exp(1000) = inf, а inf / inf = nan.
Ваша версия должна работать и на логитах порядка ±1000 — вспомните, что softmax не
меняется, если из всех zⱼ вычесть одно и то же число.

Запрещено: готовые torch.softmax, torch.nn.functional.softmax, Tensor.softmax и их
log-варианты.

Проверка: kurs check 1.7.3   Подсказка: kurs hint 1.7.3
"""

import torch


def softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    raise NotImplementedError
