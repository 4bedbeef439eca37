"""Эталон 1.9.2: load_state_dict для модели и оптимизатора, эпоха — из словаря."""

from pathlib import Path

import torch
from torch import nn


def load_checkpoint(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer) -> int:
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    return int(checkpoint["epoch"])
