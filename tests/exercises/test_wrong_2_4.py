"""Намеренно неверные решения упражнений урока 2.4: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/2.4/; устроено как test_wrong_solutions.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

import random
from pathlib import Path

import numpy
import pytest
import torch

from kurs.exercises.registry import find
from kurs.exercises.sandbox import check

WRONG = Path(__file__).parent / "wrong" / "2.4"

CASES = [
    ("w2_4_1_order.py", "wrong", "блоки весов разобраны в порядке i, f, o, g"),
    ("w2_4_1_notanh.py", "wrong", "нужно h_new = o ⊙ tanh(c_new)"),
    ("w2_4_1_swapped.py", "wrong", "h_new и c_new перепутаны местами"),
    ("w2_4_1_module.py", "forbidden", "torch.nn.LSTMCell"),
    ("w2_4_1_detach.py", "wrong", "h_new не связан с входом x вычислительным графом"),
    ("w2_4_2_all_steps.py", "wrong", "вы усреднили потери по всем тактам, включая дополнение"),
    ("w2_4_2_per_sequence.py", "wrong", "вы усреднили каждую последовательность отдельно"),
    ("w2_4_2_sum.py", "wrong", "это сумма потерь по настоящим тактам; нужно среднее"),
    ("w2_4_2_item.py", "wrong", "результат оторван от графа"),
    ("w2_4_3_separately.py", "wrong", "вы обрезали каждый параметр отдельно"),
    ("w2_4_3_always.py", "wrong", "норма не больше порога, и градиенты должны остаться как были"),
    ("w2_4_3_generator.py", "wrong", "сначала сделайте из него список"),
    ("w2_4_3_new_tensor.py", "wrong", "их нужно уменьшить на месте"),
    ("w2_4_3_builtin.py", "forbidden", "torch.nn.utils.clip_grad_norm_"),
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
