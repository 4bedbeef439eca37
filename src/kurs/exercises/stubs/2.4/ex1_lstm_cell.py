"""Упражнение 2.4.1. Ячейка LSTM своими руками.

Один такт LSTM по формулам урока 2.4. Напишите lstm_cell(x, h, c, weight_ih, weight_hh,
bias_ih, bias_hh), которая считает то же, что nn.LSTMCell с этими весами:

- x — вход такта (N, I); h и c — прошлые скрытое состояние и ячейка, обе (N, H);
- weight_ih (4H, I), weight_hh (4H, H), bias_ih и bias_hh (4H,) — веса в раскладке
  PyTorch: четыре блока по H строк в порядке i, f, g, o;
- gates = x·weight_ihᵀ + bias_ih + h·weight_hhᵀ + bias_hh; разрежьте на четыре части
  по H столбцов: i, f, o проходят через σ (сигмоиду), g — через tanh;
- c_new = f ⊙ c + i ⊙ g,  h_new = o ⊙ tanh(c_new)  (⊙ — поэлементное умножение);
- верните пару (h_new, c_new). Градиент должен проходить: никаких detach и .item().

nn.LSTMCell, nn.LSTM и torch.lstm_cell вызывать нельзя — их и проверяют.

Проверка: kurs check 2.4.1   Подсказка: kurs hint 2.4.1
"""

import torch


def lstm_cell(
    x: torch.Tensor,
    h: torch.Tensor,
    c: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor,
    bias_hh: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    raise NotImplementedError
