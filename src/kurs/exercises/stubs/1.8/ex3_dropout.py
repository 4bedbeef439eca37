"""Упражнение 1.8.3. Dropout своими руками.

Напишите dropout(x, p, training, generator) — «обратный» (inverted) dropout, как в
nn.Dropout:
- если training == False или p == 0, верните x без изменений;
- иначе каждый элемент x независимо с вероятностью p обнуляется, а выжившие
  элементы делятся на (1 − p) — тогда среднее значение выхода равно x и при
  переходе в режим eval() ничего досчитывать не нужно;
- p == 1 — особый случай: обнуляется всё (и никаких делений на 0 и nan);
- случайность берите ТОЛЬКО из переданного generator (например,
  torch.rand(..., generator=generator)): с генератором из одного и того же зерна
  результат должен повторяться;
- форма и dtype результата — как у x; x не меняйте на месте; градиент должен
  проходить через результат к x (маска — обычный тензор, умножение — обычное).

Запрещено: torch.nn.functional.dropout, torch.dropout, nn.Dropout и прочие готовые
варианты dropout.

Проверка: kurs check 1.8.3   Подсказка: kurs hint 1.8.3
"""

import torch


def dropout(x: torch.Tensor, p: float, training: bool, generator: torch.Generator) -> torch.Tensor:
    raise NotImplementedError
