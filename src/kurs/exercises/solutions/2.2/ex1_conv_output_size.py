"""Эталон 2.2.1: ⌊(n + 2·p − k) / s⌋ + 1."""


def conv_output_size(n: int, kernel_size: int, padding: int = 0, stride: int = 1) -> int:
    return (n + 2 * padding - kernel_size) // stride + 1
