import torch


def importance_log_px(log_px_given_z, log_pz, log_qz):
    return torch.logsumexp(log_px_given_z + log_pz - log_qz, dim=0)
