"""Упражнение 3.3.3. Оценка ln p(x) по K кодам.

В конце урока ln p(x) оценивался по K кодам zₖ из q(z|x):

    ln p(x) ≈ ln (1/K)·Σₖ p(x|zₖ)·p(zₖ) / q(zₖ|x).

Напишите importance_log_px(log_px_given_z, log_pz, log_qz). Все три тензора формы (K, B):
логарифмы ln p(x|zₖ), ln p(zₖ) и ln q(zₖ|x) для K кодов каждой из B картинок.

- верните тензор формы (B,) — оценку ln p(x) для каждой картинки;
- логарифмы правдоподобия картинок — это минус сотни: exp(−150) в float32 равно нулю,
  поэтому считать «в лоб» через exp и log нельзя — ответ должен быть конечным числом;
- при K = 1 оценка совпадает с ELBO этого кода, а при K > 1 — не меньше среднего
  логарифмов весов.

Проверка: kurs check 3.3.3   Подсказка: kurs hint 3.3.3
"""

import torch


def importance_log_px(
    log_px_given_z: torch.Tensor, log_pz: torch.Tensor, log_qz: torch.Tensor
) -> torch.Tensor:
    raise NotImplementedError
