"""Эталон 1.1.3: as_tensor копирует, только когда без этого нельзя."""

import numpy as np
import torch


def as_float32(array: np.ndarray) -> torch.Tensor:
    return torch.as_tensor(array, dtype=torch.float32)
