"""Намеренно неверные решения упражнений урока 2.3: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/2.3/; устроено как test_wrong_solutions.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

import random
from pathlib import Path

import numpy
import pytest
import torch

from kurs.exercises.registry import find
from kurs.exercises.sandbox import check

WRONG = Path(__file__).parent / "wrong" / "2.3"

CASES = [
    ("w2_3_1_relu_first.py", "wrong", "ReLU стоит до сложения"),
    ("w2_3_1_no_final_relu.py", "wrong", "после сложения нет ReLU"),
    ("w2_3_1_no_middle_relu.py", "wrong", "между свёртками нет ReLU"),
    ("w2_3_1_no_skip.py", "wrong", "нет обходной связи"),
    ("w2_3_1_inplace.py", "wrong", "изменила входной аргумент №1 на месте"),
    ("w2_3_2_not_frozen.py", "wrong", "обучаемыми остались не только параметры головы"),
    ("w2_3_2_frozen_head.py", "wrong", "новая голова заморожена"),
    ("w2_3_2_hardcoded.py", "wrong", "новая голова ждёт 512 признаков, а сеть отдаёт 16"),
    ("w2_3_2_reset.py", "wrong", "веса сети до головы изменились"),
    ("w2_3_3_no_zero.py", "wrong", "в .grad остались градиенты прошлого шага"),
    ("w2_3_3_squared.py", "wrong", "это квадраты норм"),
    ("w2_3_3_with_bias.py", "wrong", "попал и градиент смещения (bias)"),
    ("w2_3_3_eval.py", "wrong", "градиенты посчитаны в режиме eval()"),
    ("w2_3_3_all_layers.py", "wrong", "вы посчитали и линейный слой"),
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
