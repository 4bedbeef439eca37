"""Намеренно неверные решения упражнений урока 3.5: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/3.5/; устроено как test_wrong_solutions.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

import random
from pathlib import Path

import numpy
import pytest
import torch

from kurs.exercises.registry import find
from kurs.exercises.sandbox import check

WRONG = Path(__file__).parent / "wrong" / "3.5"

CASES = [
    ("w3_5_1_default.py", "wrong", "EventAccumulator по умолчанию хранит не больше 10 000"),
    ("w3_5_1_events.py", "wrong", "элементы списка должны быть парами (шаг, значение)"),
    ("w3_5_1_missing.py", "wrong", "Для отсутствующего тега верните пустой список"),
    ("w3_5_1_onefile.py", "wrong", "в два файла событий) прочитано точек: 2, а в журнале их 4"),
    ("w3_5_2_every.py", "wrong", "в журнале 20 точек — по одной на каждый батч"),
    ("w3_5_2_before.py", "wrong", "шаги на кривой на 1 меньше нужных"),
    ("w3_5_2_restart.py", "wrong", "точки записаны на шагах [3, 6, 9, 3, 6, 9]"),
    ("w3_5_2_nozero.py", "wrong", "перед каждым backward() обнуляйте градиенты"),
    ("w3_5_2_noreturn.py", "wrong", "верните номер шага (int) после эпохи, получен NoneType"),
    ("w3_5_3_nograd.py", "wrong", "нужна ещё гистограмма «<имя>.grad»"),
    ("w3_5_3_nonecheck.py", "wrong", "вместо тензора передан None"),
    ("w3_5_3_sametag.py", "wrong", "нужна ещё гистограмма «<имя>.grad»"),
    ("w3_5_3_gradvalues.py", "wrong", "«body.weight.grad» описывает не значения этого градиента"),
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
