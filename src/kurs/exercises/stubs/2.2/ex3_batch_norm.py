"""Упражнение 2.2.3. BatchNorm в режиме обучения своими руками.

Напишите batch_norm_train(x, gamma, beta, eps=1e-5) — то, что делает nn.BatchNorm2d
в режиме train() (без скользящих средних):

- x — (N, C, H, W); gamma и beta — (C,): масштаб γ и сдвиг β каждого канала;
- для каждого канала посчитайте среднее и дисперсию по всему батчу и всем позициям
  (дисперсия — с делением на n, а не на n − 1);
- x̂ = (x − среднее) / √(дисперсия + eps), и верните y = γ · x̂ + β той же формы;
- градиент по x должен быть как у настоящего BatchNorm: среднее и дисперсия тоже
  зависят от x.

F.batch_norm, torch.batch_norm и nn.BatchNorm1d/2d/3d вызывать нельзя.

Проверка: kurs check 2.2.3   Подсказка: kurs hint 2.2.3
"""

import torch


def batch_norm_train(
    x: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, eps: float = 1e-5
) -> torch.Tensor:
    raise NotImplementedError
