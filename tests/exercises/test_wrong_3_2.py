"""Намеренно неверные решения упражнений урока 3.2: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/3.2/; устроено как test_wrong_solutions.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

import random
from pathlib import Path

import numpy
import pytest
import torch

from kurs.exercises.registry import find
from kurs.exercises.sandbox import check

WRONG = Path(__file__).parent / "wrong" / "3.2"

CASES = [
    ("w3_2_1_no_mask.py", "wrong", "позиции видят будущее: нужна причинная маска"),
    ("w3_2_1_triu.py", "wrong", "маска перевёрнута"),
    ("w3_2_1_zero_fill.py", "wrong", "exp(0) = 1, и будущее всё равно получает вес"),
    ("w3_2_1_no_scale.py", "wrong", "оценки q·k не поделены на √d"),
    ("w3_2_1_scale_d.py", "wrong", "оценки поделены на d, а нужно на √d"),
    ("w3_2_1_dim.py", "wrong", "softmax взят по оси запросов"),
    ("w3_2_1_detach.py", "wrong", "ответ не связан с q, k, v графом"),
    ("w3_2_1_sdpa.py", "forbidden", "torch.nn.functional.scaled_dot_product_attention"),
    ("w3_2_2_no_mask.py", "wrong", "позиции видят будущее: нужна причинная маска"),
    ("w3_2_2_no_proj.py", "wrong", "не пропущены через выходной слой"),
    ("w3_2_2_view.py", "wrong", "головы нарезаны без transpose"),
    ("w3_2_2_one_head.py", "wrong", "внимание посчитано одной головой на весь вектор"),
    ("w3_2_2_module.py", "forbidden", "torch.nn.MultiheadAttention"),
    ("w3_2_3_is_causal.py", "wrong", "новый символ видит только первый ключ: is_causal=True"),
    ("w3_2_3_no_append.py", "wrong", "ключ и значение нового символа нужно добавить в кэш"),
    ("w3_2_3_self_only.py", "wrong", "он смотрит только на себя"),
    ("w3_2_3_front.py", "wrong", "добавлен в начало кэша, а нужно в конец"),
    ("w3_2_3_past_only.py", "wrong", "смотрит на прошлые символы, но не на себя"),
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
