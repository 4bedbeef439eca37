"""Эталон 1.9.1: словарь из двух state_dict и номера эпохи."""

from pathlib import Path

import torch
from torch import nn


def save_checkpoint(
    path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer, epoch: int
) -> None:
    checkpoint = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "epoch": int(epoch),
    }
    torch.save(checkpoint, path)
