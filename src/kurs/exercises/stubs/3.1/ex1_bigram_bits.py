"""Упражнение 3.1.1. Планка: биграммы в битах на символ.

Напишите bigram_bits_per_char(train_ids, val_ids, vocab_size, alpha): сколько бит на
символ тратит биграммная модель на проверочном тексте.

- train_ids, val_ids — одномерные тензоры int64 с номерами символов от 0 до vocab_size − 1;
- по train_ids посчитайте count(a, b) — сколько раз за символом a сразу идёт b;
- вероятность со сглаживанием: p(b | a) = (count(a, b) + alpha) / (Σ_c count(a, c) + alpha·V),
  где V = vocab_size, — так и невиданная пара получает ненулевую вероятность;
- верните среднее −log₂ p(val[i] | val[i − 1]) по всем i от 1 до len(val_ids) − 1:
  число (float или тензор из одного числа) в битах, а не в натах.

Проверка: kurs check 3.1.1   Подсказка: kurs hint 3.1.1
"""

import torch


def bigram_bits_per_char(
    train_ids: torch.Tensor, val_ids: torch.Tensor, vocab_size: int, alpha: float
) -> float:
    raise NotImplementedError
