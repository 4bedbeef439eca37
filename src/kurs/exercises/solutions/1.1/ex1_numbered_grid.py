"""Эталон 1.1.1: arange сразу в нужном типе, затем reshape."""

import torch


def numbered_grid(rows: int, cols: int, dtype: torch.dtype = torch.int64) -> torch.Tensor:
    return torch.arange(1, rows * cols + 1, dtype=dtype).reshape(rows, cols)
