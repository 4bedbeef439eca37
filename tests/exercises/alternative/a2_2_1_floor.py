"""math.floor от обычного деления тоже даёт int и округляет вниз."""

import math


def conv_output_size(n, kernel_size, padding=0, stride=1):
    return math.floor((n + 2 * padding - kernel_size) / stride) + 1
