"""Упражнение 3.5.2. Эпоха обучения с записью в TensorBoard.

Напишите train_epoch_logged(model, loader, criterion, optimizer, writer, step, log_every):
одну эпоху обучения, которая пишет кривую потерь в TensorBoard.

- model.train() в начале; для каждого батча (x, y) из loader — прямой проход, потеря
  criterion(model(x), y), обнуление градиентов, backward, optimizer.step();
- step — номер шага оптимизатора перед эпохой (у первой эпохи 0). После каждого
  optimizer.step() он увеличивается на 1;
- если новый номер шага делится на log_every, запишите потерю этого батча:
  writer.add_scalar("loss/train", <потеря числом>, <номер шага>); больше ничего
  в журнал не пишите;
- верните номер шага после эпохи (int): следующая эпоха начнёт с него, и кривая
  продолжится, а не начнётся заново.

Пример: 10 батчей, log_every = 3, step = 0 → точки на шагах 3, 6, 9, возвращается 10;
следующая эпоха с step = 10 запишет точки на шагах 12, 15, 18.

Проверка: kurs check 3.5.2   Подсказка: kurs hint 3.5.2
"""

from collections.abc import Iterable

import torch
from torch import nn
from torch.utils.tensorboard import SummaryWriter


def train_epoch_logged(
    model: nn.Module,
    loader: Iterable[tuple[torch.Tensor, torch.Tensor]],
    criterion: nn.Module,
    optimizer: torch.optim.Optimizer,
    writer: SummaryWriter,
    step: int,
    log_every: int,
) -> int:
    raise NotImplementedError
