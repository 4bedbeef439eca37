"""Эталон 3.5.3: по гистограмме на параметр и на каждый существующий градиент."""

from torch import nn
from torch.utils.tensorboard import SummaryWriter


def log_parameters(writer: SummaryWriter, model: nn.Module, step: int) -> None:
    for name, parameter in model.named_parameters():
        writer.add_histogram(name, parameter, step)
        if parameter.grad is not None:
            writer.add_histogram(f"{name}.grad", parameter.grad, step)
