"""Упражнение 1.2.2. Все попарные расстояния.

Даны два набора точек: a формы (N, D) и b формы (M, D), тип float32. Напишите
pairwise_distances(a, b): матрицу формы (N, M), где элемент [i, j] — евклидово
расстояние между точкой a[i] и точкой b[j]:

    dist[i, j] = √( Σₖ (a[i, k] − b[j, k])² ).

- ответ — float32 формы (N, M); входы не меняйте;
- никаких циклов Python: всё делает broadcasting;
- torch.cdist и torch.nn.functional.pairwise_distance использовать нельзя.

Проверка: kurs check 1.2.2   Подсказка: kurs hint 1.2.2
"""

import torch


def pairwise_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError
