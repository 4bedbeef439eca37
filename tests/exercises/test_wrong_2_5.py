"""Намеренно неверные решения упражнений урока 2.5: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/2.5/; устроено как test_wrong_solutions.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

import random
from pathlib import Path

import numpy
import pytest
import torch

from kurs.exercises.registry import find
from kurs.exercises.sandbox import check

WRONG = Path(__file__).parent / "wrong" / "2.5"

CASES = [
    ("w2_5_1_flip.py", "wrong", "вы перевернули строки целиком, вместе с дополнением"),
    ("w2_5_1_padzero.py", "wrong", "настоящие шаги перевёрнуты верно, но хвост дополнения"),
    ("w2_5_1_inplace.py", "wrong", "ваша функция изменила входной аргумент №1 на месте"),
    ("w2_5_2_fullflip.py", "wrong", "обратная LSTM начинала чтение с дополнения"),
    ("w2_5_2_noflipback.py", "wrong", "обратная половина идёт в перевёрнутом порядке шагов"),
    ("w2_5_2_swapped.py", "wrong", "половины выхода переставлены: сначала идёт прямое"),
    ("w2_5_2_nomask.py", "wrong", "на шагах дополнения выход должен быть нулём"),
    ("w2_5_2_noreverse.py", "wrong", "обратная LSTM прочла последовательность слева направо"),
    ("w2_5_3_last.py", "wrong", "обратная половина взята с шага T − 1"),
    ("w2_5_3_lastreal.py", "wrong", "обратная половина взята с последнего настоящего шага"),
    ("w2_5_3_forward_t.py", "wrong", "прямая половина взята с шага T − 1"),
]


def _check_under_global_seed(exercise, path, seed: int):
    random.seed(seed)
    numpy.random.seed(seed)
    torch.manual_seed(seed)
    torch.rand(seed + 3)
    return check(exercise, path)


@pytest.mark.parametrize(("name", "kind", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_wrong_solution_gets_precise_and_repeatable_verdict(name, kind, fragment):
    exercise = find(name[1:6].replace("_", "."))
    verdict = _check_under_global_seed(exercise, WRONG / name, seed=1)
    assert verdict.kind == kind, verdict
    assert fragment in verdict.message
    again = _check_under_global_seed(exercise, WRONG / name, seed=2)
    assert again == verdict, "тот же файл — другой вердикт: проверка недетерминирована"


def test_every_wrong_solution_file_is_listed():
    assert sorted(p.name for p in WRONG.glob("*.py")) == sorted(c[0] for c in CASES)
