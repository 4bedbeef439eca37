import torch


def residual_block(x, conv1, bn1, conv2, bn2, downsample=None):
    return torch.relu(bn2(conv2(torch.relu(bn1(conv1(x))))))
