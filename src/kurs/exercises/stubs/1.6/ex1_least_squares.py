"""Упражнение 1.6.1. Метод наименьших квадратов без обучения.

Напишите least_squares(X, y): точное решение линейной регрессии y ≈ X·w + b.
- X — матрица признаков формы (N, D), y — ответы формы (N,), оба одного
  вещественного dtype (float32 или float64);
- верните пару (w, b): w формы (D,) и b — 0-мерный тензор (форма ()), dtype как у X.

Как считать: допишите к X столбец из единиц (он отвечает за смещение b), получится
матрица A формы (N, D + 1). Коэффициенты θ = (w, b) удовлетворяют нормальным
уравнениям AᵀA·θ = Aᵀy — решите эту систему функцией torch.linalg.solve.

Запрещено: готовые torch.linalg.lstsq и псевдообратная матрица (torch.linalg.pinv,
torch.pinverse), а также явное обращение матрицы (torch.linalg.inv, torch.inverse):
систему решают, а не обращают — так и быстрее, и точнее.

Проверка: kurs check 1.6.1   Подсказка: kurs hint 1.6.1
"""

import torch


def least_squares(X: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    raise NotImplementedError
