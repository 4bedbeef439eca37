"""Упражнение 3.3.2. Несколько кодов с репараметризацией.

Для оценки ln p(x) в конце урока на каждую картинку берут не один код, а K. Напишите
sample_codes(mu, log_var, num_samples): num_samples кодов z из N(mu, exp(log_var)),
взятых трюком репараметризации.

- mu и log_var — тензоры одной формы (например, (батч, d)); верните тензор формы
  (num_samples, *mu.shape) того же типа (dtype): первый индекс — номер кода;
- z = μ + σ·ε, где σ = exp(½·ln σ²), а ε ~ N(0, 1) — своё независимое число для
  каждого кода и каждой координаты каждого элемента батча;
- градиент должен доходить до mu и log_var: Normal(...).sample() его обрывает, а
  готовый rsample() здесь запрещён — напишите трюк сами;
- входы не меняйте.

Проверка: kurs check 3.3.2   Подсказка: kurs hint 3.3.2
"""

import torch


def sample_codes(mu: torch.Tensor, log_var: torch.Tensor, num_samples: int) -> torch.Tensor:
    raise NotImplementedError
