"""Упражнение 2.2.1. Размер выхода свёртки.

Напишите conv_output_size(n, kernel_size, padding=0, stride=1): сколько положений
по одной оси займёт окно kernel_size на входе длины n, если вход обведён рамкой из
padding нулей с каждой стороны, а окно сдвигается на stride пикселей. Это сторона
выхода nn.Conv2d (и nn.MaxPool2d) для квадратной картинки n×n.

- все аргументы — целые числа, n + 2·padding ≥ kernel_size;
- верните int (не float): окно, которое не поместилось целиком, не считается.

Пример: n = 28, kernel_size = 3, padding = 1, stride = 2 → 14.

Проверка: kurs check 2.2.1   Подсказка: kurs hint 2.2.1
"""


def conv_output_size(n: int, kernel_size: int, padding: int = 0, stride: int = 1) -> int:
    raise NotImplementedError
