"""Упражнение 1.1.1. Пронумерованная таблица.

Напишите numbered_grid(rows, cols, dtype): тензор формы (rows, cols), в котором клетки
пронумерованы по строкам, начиная с единицы. Например, для rows=2, cols=3:

    [[1, 2, 3],
     [4, 5, 6]]

- тип элементов — ровно dtype (проверяются torch.int64, torch.int32 и torch.float32);
- rows и cols не меньше 1;
- циклы Python не нужны: хватит одной функции создания тензора и смены формы.

Проверка: kurs check 1.1.1   Подсказка: kurs hint 1.1.1
"""

import torch


def numbered_grid(rows: int, cols: int, dtype: torch.dtype = torch.int64) -> torch.Tensor:
    raise NotImplementedError
