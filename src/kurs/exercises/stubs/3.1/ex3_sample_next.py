"""Упражнение 3.1.3. Следующий символ: температура и top-k.

Напишите sample_next(logits, generator, temperature=1.0, top_k=None): по строке логитов
выберите номер следующего символа — случайно, по распределению модели.

- logits — (N, V): N независимых строк логитов по V символам словаря;
- температура: делите логиты на temperature до softmax (T < 1 — распределение острее,
  T > 1 — площе);
- top_k (если не None): в каждой строке оставьте top_k наибольших логитов, остальным
  поставьте −∞ — тогда их вероятность станет ровно 0;
- выберите по одному номеру на строку случайно с вероятностями softmax; всю случайность
  берите из переданного generator (torch.Generator), чтобы выбор повторялся при том же
  зерне: например, torch.multinomial(probs, 1, generator=generator);
- верните тензор int64 формы (N,).

Проверка: kurs check 3.1.3   Подсказка: kurs hint 3.1.3
"""

import torch


def sample_next(
    logits: torch.Tensor,
    generator: torch.Generator,
    temperature: float = 1.0,
    top_k: int | None = None,
) -> torch.Tensor:
    raise NotImplementedError
