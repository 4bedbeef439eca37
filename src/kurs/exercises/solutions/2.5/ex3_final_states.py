"""Эталон 2.5.3: прямой итог — на шаге lengths − 1, обратный — на шаге 0."""

import torch


def final_states(output: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    H = output.shape[2] // 2
    rows = torch.arange(output.shape[0], device=output.device)
    last = lengths.to(output.device) - 1
    return torch.cat([output[rows, last, :H], output[:, 0, H:]], dim=1)
