"""Вычитание наибольшего логарифма вручную — то, что делает logsumexp внутри."""

import torch


def importance_log_px(log_px_given_z, log_pz, log_qz):
    log_w = log_px_given_z + log_pz - log_qz
    top = log_w.max(dim=0).values
    return top + torch.log(torch.exp(log_w - top).mean(dim=0))
