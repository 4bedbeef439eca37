"""Счёт классов и энтропия через collections.Counter и math — без bincount."""

import math
from collections import Counter

import torch


def judge_samples(logits, threshold=0.9, min_count=5):
    probabilities = torch.softmax(logits, dim=-1)
    top, label = probabilities.max(dim=-1)
    confident = Counter(label[top >= threshold].tolist())
    everyone = Counter(label.tolist())
    n = len(label)
    entropy = -sum(c / n * math.log(c / n) for c in everyone.values())
    share = sum(confident.values()) / n
    return share, sum(1 for c in confident.values() if c >= min_count), math.exp(entropy)
