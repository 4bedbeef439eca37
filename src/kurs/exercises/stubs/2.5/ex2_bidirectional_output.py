"""Упражнение 2.5.2. Двунаправленная LSTM из двух обычных.

Соберите выход двунаправленной LSTM из двух однонаправленных. Напишите
bidirectional_output(x, lengths, forward_lstm, backward_lstm):

- x — дополненный батч (N, T, F) (batch_first), lengths — длины (N,) типа int64;
- forward_lstm и backward_lstm — однослойные nn.LSTM(F, H, batch_first=True):
  первая читает последовательности слева направо, вторая — справа налево;
- верните тензор (N, T, 2H) — ровно то, что вернула бы
  nn.LSTM(F, H, batch_first=True, bidirectional=True) с весами forward_lstm
  (прямое направление) и backward_lstm (веса *_reverse), если подать ей
  pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False) и
  распаковать выход pad_packed_sequence(..., batch_first=True, total_length=T):
  первые H чисел каждого шага — прямое направление, следующие H — обратное;
  на шагах дополнения — нули;
- обратное направление должно читать только настоящие шаги: начинать с шага
  lengths[i] − 1 и заканчивать шагом 0.

Годится любой способ: перевернуть последовательности в пределах длины (упражнение
2.5.1) или упаковать их. x не меняйте на месте.

Проверка: kurs check 2.5.2   Подсказка: kurs hint 2.5.2
"""

import torch
from torch import nn


def bidirectional_output(
    x: torch.Tensor, lengths: torch.Tensor, forward_lstm: nn.LSTM, backward_lstm: nn.LSTM
) -> torch.Tensor:
    raise NotImplementedError
