"""Считаем положения окна перебором — без формулы."""


def conv_output_size(n, kernel_size, padding=0, stride=1):
    return len(range(0, n + 2 * padding - kernel_size + 1, stride))
