"""Эталон 2.5.2: прямая LSTM как есть, обратная — на перевёрнутых в пределах длины строках."""

import torch
from torch import nn


def _reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    steps = torch.arange(x.shape[1], device=x.device)[None, :]
    lengths = lengths.to(x.device)[:, None]
    source = torch.where(steps < lengths, lengths - 1 - steps, steps)
    return x.gather(1, source[..., None].expand(-1, -1, x.shape[2]))


def bidirectional_output(
    x: torch.Tensor, lengths: torch.Tensor, forward_lstm: nn.LSTM, backward_lstm: nn.LSTM
) -> torch.Tensor:
    forward_out, _ = forward_lstm(x)  # дополнение после настоящих шагов ему не мешает
    backward_out, _ = backward_lstm(_reverse_padded(x, lengths))
    backward_out = _reverse_padded(backward_out, lengths)  # шаги — в исходный порядок
    output = torch.cat([forward_out, backward_out], dim=2)
    real = torch.arange(x.shape[1], device=x.device)[None, :] < lengths.to(x.device)[:, None]
    return output * real[..., None]  # на шагах дополнения — нули
