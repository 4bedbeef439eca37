"""Верные решения, написанные не так, как эталон, проходят проверку.

Проверка смотрит на поведение (выходы, градиенты, что обнулено), а не на устройство
кода: выходной слой, созданный первым, один общий nn.Dropout, F.dropout вместо модуля,
inference_mode вместо no_grad — всё это верные ответы. Файлы — в alternative/,
имя a<упражнение>_<что>.py.
"""

from pathlib import Path

import pytest

from kurs.exercises.registry import find
from kurs.exercises.sandbox import PASSED, check

ALTERNATIVE = Path(__file__).parent / "alternative"
FILES = sorted(ALTERNATIVE.glob("a*.py"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_correct_alternative_passes(path):
    verdict = check(find(path.name[1:6].replace("_", ".")), path)
    assert verdict.kind == PASSED, verdict


def test_there_are_alternatives_for_the_behaviour_checks():
    names = {p.name[:6] for p in FILES}
    assert {"a1_8_1", "a1_8_2", "a1_8_4", "a1_7_4", "a1_6_3"} <= names
