"""Эталон 1.9.4: загрузить, если есть что; сохранять после каждой эпохи."""

from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn


def train_with_checkpoints(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    train_one_epoch: Callable[[nn.Module, torch.optim.Optimizer, int], None],
    num_epochs: int,
    path: str | Path,
) -> None:
    start = 0
    if Path(path).exists():
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        start = int(checkpoint["epoch"])
    for epoch in range(start, num_epochs):
        train_one_epoch(model, optimizer, epoch)
        torch.save(
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "epoch": epoch + 1,
            },
            path,
        )
