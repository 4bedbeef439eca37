from torch import nn


def clip_gradients(parameters, max_norm):
    return nn.utils.clip_grad_norm_(parameters, max_norm)
