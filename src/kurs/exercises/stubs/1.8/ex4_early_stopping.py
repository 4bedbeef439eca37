"""Упражнение 1.8.4. Ранняя остановка.

Сеть, которая учится слишком долго, переобучается: потеря на обучающей части всё
падает, а на валидационной после какой-то эпохи начинает расти. Ранняя остановка
прекращает обучение, когда потеря на валидационной части долго не улучшается, и
оставляет модели веса лучшей эпохи.

Напишите early_stopping(model, train_one_epoch, validation_loss, max_epochs, patience):
- эпохи нумеруются с 0; каждую эпоху проводит вызов train_one_epoch(model), после
  него validation_loss(model) возвращает потерю на валидационной части (float);
- эпоха — лучшая, если её потеря строго меньше, чем у всех предыдущих (равная
  потеря — не улучшение);
- как только patience эпох подряд прошли без улучшения, обучение останавливается;
  больше max_epochs эпох не бывает никогда (max_epochs ≥ 1, patience ≥ 1);
- перед возвратом положите в model веса лучшей эпохи (model.load_state_dict) и
  верните номер лучшей эпохи (int).

Веса лучшей эпохи нужно запомнить в тот момент, когда она закончилась: следующие
эпохи меняют параметры модели на месте.

Проверка: kurs check 1.8.4   Подсказка: kurs hint 1.8.4
"""

from collections.abc import Callable

from torch import nn


def early_stopping(
    model: nn.Module,
    train_one_epoch: Callable[[nn.Module], None],
    validation_loss: Callable[[nn.Module], float],
    max_epochs: int,
    patience: int,
) -> int:
    raise NotImplementedError
