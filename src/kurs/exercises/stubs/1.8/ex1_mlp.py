"""Упражнение 1.8.1. Полносвязная сеть с Dropout.

Напишите класс MLP(in_features, hidden, num_classes, p) — наследник nn.Module.
- hidden — список размеров скрытых слоёв, например [128, 64]; он может быть и пустым;
- каждый скрытый слой — это nn.Linear → nn.ReLU → nn.Dropout(p);
- последний слой — nn.Linear(…, num_classes) без активации: сеть выдаёт логиты;
- forward(x) принимает x формы (B, ...), где остальные измерения вместе дают
  in_features (например, картинки (B, 1, 8, 8) при in_features = 64), выпрямляет его
  в (B, in_features) и возвращает логиты формы (B, num_classes).

Пример: MLP(64, [32, 16], 10, p=0.2) состоит из nn.Linear(64, 32), nn.Linear(32, 16)
и nn.Linear(16, 10), а между ними — ReLU и Dropout(0.2).
Dropout должен работать только в режиме обучения (model.train()) и выключаться в
режиме model.eval() — слой nn.Dropout делает это сам.

Проверка смотрит на поведение сети: что она выдаёт в режиме eval() и какие
значения гасит Dropout в режиме train(). Порядок, в котором слои созданы в __init__,
и то, сколько у вас объектов nn.Dropout, значения не имеют.

Проверка: kurs check 1.8.1   Подсказка: kurs hint 1.8.1
"""

import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self, in_features: int, hidden: list[int], num_classes: int, p: float = 0.5):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError
