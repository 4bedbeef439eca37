"""Общая часть тестов намеренно неверных решений разделов 2 и 3.

Модуль урока задаёт папку с файлами и таблицу CASES (файл, вердикт, фрагмент сообщения)
и получает из make_tests два теста: каждый файл получает точный вердикт, причём один и
тот же при разном состоянии глобальных генераторов, и каждый файл папки есть в таблице.
"""

import random
from pathlib import Path

import numpy
import pytest
import torch

from kurs.exercises.registry import find
from kurs.exercises.sandbox import check


def check_under_global_seed(exercise, path: Path, seed: int):
    random.seed(seed)
    numpy.random.seed(seed)
    torch.manual_seed(seed)
    torch.rand(seed + 3)
    return check(exercise, path)


def make_tests(folder: Path, cases: list[tuple[str, str, str]]):
    @pytest.mark.parametrize(("name", "kind", "fragment"), cases, ids=[c[0] for c in cases])
    def test_wrong_solution_gets_precise_and_repeatable_verdict(name, kind, fragment):
        exercise = find(name[1:6].replace("_", "."))  # w2_1_3_… → 2.1.3
        verdict = check_under_global_seed(exercise, folder / name, seed=1)
        assert verdict.kind == kind, verdict
        assert fragment in verdict.message
        again = check_under_global_seed(exercise, folder / name, seed=2)
        assert again == verdict, "тот же файл — другой вердикт: проверка недетерминирована"

    def test_every_wrong_solution_file_is_listed():
        assert sorted(p.name for p in folder.glob("*.py")) == sorted(c[0] for c in cases)

    return (
        test_wrong_solution_gets_precise_and_repeatable_verdict,
        test_every_wrong_solution_file_is_listed,
    )
