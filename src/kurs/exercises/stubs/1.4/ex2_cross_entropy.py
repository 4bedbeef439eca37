"""Упражнение 1.4.2. Кросс-энтропия вручную.

Напишите cross_entropy(logits, target) — то же, что считает nn.CrossEntropyLoss()
со стандартными настройками:
    logits — float32 формы (N, C): «сырые» оценки N примеров для C классов;
    target — int64 формы (N,): номер верного класса каждого примера, от 0 до C − 1.

Для примера i потеря равна −log(softmax(logits[i])[target[i]]), а ответ — среднее по
всем N примерам: 0-мерный тензор float32.

- функция должна работать и для больших логитов (порядка ±1000): наивный exp там
  переполняется, и получается inf или nan;
- ответ должен оставаться связанным с графом: loss.backward() даёт верный градиент
  по logits (никаких .item(), .tolist(), numpy внутри);
- нельзя использовать готовое: torch.nn.functional.cross_entropy, nll_loss,
  softmax, log_softmax (в любом виде — функция, метод тензора, модуль nn) и logsumexp.

Проверка: kurs check 1.4.2   Подсказка: kurs hint 1.4.2
"""

import torch


def cross_entropy(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError
