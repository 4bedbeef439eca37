import torch


def residual_block(x, conv1, bn1, conv2, bn2, downsample=None):
    identity = x if downsample is None else downsample(x)
    identity += bn2(conv2(torch.relu(bn1(conv1(x)))))
    return identity.relu_()
