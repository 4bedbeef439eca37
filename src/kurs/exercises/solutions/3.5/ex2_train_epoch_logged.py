"""Эталон 3.5.2: обычная эпоха плюс счётчик шагов и точка раз в log_every шагов."""

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
    model.train()
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1
        if step % log_every == 0:
            writer.add_scalar("loss/train", loss.item(), step)
    return step
