"""Упражнение 1.8.2. Честная оценка доли верных ответов.

Напишите evaluate(model, loader): долю верных ответов (accuracy) модели на данных
из loader.
- loader — то, по чему можно пройти циклом for x, y in loader (например, DataLoader):
  x — батч входов, y — правильные классы (int64, форма (B,));
- класс-предсказание — номер наибольшего логита model(x);
- верните долю верных ответов по ВСЕМ примерам как float. Последний батч бывает
  меньше остальных, поэтому среднее из долей верных по батчам — не то же самое;
- во время оценки модель должна быть в режиме eval() (Dropout выключен), а граф
  вычислений строиться не должен (torch.no_grad());
- после оценки верните модели тот режим, в котором она была до вызова: если она
  обучалась (model.training == True), обучение продолжится сразу после оценки.

Проверка: kurs check 1.8.2   Подсказка: kurs hint 1.8.2
"""

from collections.abc import Iterable

import torch
from torch import nn


def evaluate(model: nn.Module, loader: Iterable[tuple[torch.Tensor, torch.Tensor]]) -> float:
    raise NotImplementedError
