import torch


def importance_log_px(log_px_given_z, log_pz, log_qz):
    weights = torch.exp(log_px_given_z + log_pz - log_qz)
    return torch.log(weights.mean(dim=0))
