import math

import torch


def importance_log_px(log_px_given_z, log_pz, log_qz):
    log_w = log_px_given_z + log_pz - log_qz
    return (torch.logsumexp(log_w, dim=0) - math.log(len(log_w))).mean()
