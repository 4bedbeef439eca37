"""Упражнение 3.5.1. Прочитать кривую из журнала TensorBoard.

Напишите read_scalars(logdir, tag): все точки кривой tag из журнала одного запуска.

- logdir — папка запуска (str или pathlib.Path), в которую писал SummaryWriter;
  файлов событий в ней может быть несколько (например, если в папку писали два
  SummaryWriter) — прочитать нужно все;
- верните список пар (шаг, значение): шаг — int, значение — float, по возрастанию
  шага, ВСЕ точки до единой — даже если их десятки тысяч;
- если такого тега в журнале нет — верните пустой список.

Пользуйтесь читателем самой TensorBoard:
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

Проверка: kurs check 3.5.1   Подсказка: kurs hint 3.5.1
"""

from pathlib import Path


def read_scalars(logdir: str | Path, tag: str) -> list[tuple[int, float]]:
    raise NotImplementedError
