"""Эталон 3.3.3: logsumexp логарифмов весов минус ln K."""

import math

import torch


def importance_log_px(
    log_px_given_z: torch.Tensor, log_pz: torch.Tensor, log_qz: torch.Tensor
) -> torch.Tensor:
    log_weights = log_px_given_z + log_pz - log_qz  # (K, B)
    return torch.logsumexp(log_weights, dim=0) - math.log(log_weights.shape[0])
