"""Намеренно неверные решения упражнений урока 2.2: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/2.2/; устроено как test_wrong_2_5.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

import random
from pathlib import Path

import numpy
import pytest
import torch

from kurs.exercises.registry import find
from kurs.exercises.sandbox import check

WRONG = Path(__file__).parent / "wrong" / "2.2"

CASES = [
    ("w2_2_1_float.py", "wrong", "ожидалось целое число (int), получено float 26.0"),
    ("w2_2_1_ceil.py", "wrong", "ваш результат 15, ожидалось 14: вы округлили вверх"),
    ("w2_2_1_one_side.py", "wrong", "отступ добавляется с обеих сторон"),
    ("w2_2_1_no_plus_one.py", "wrong", "забыли + 1"),
    ("w2_2_1_no_stride.py", "wrong", "страйд не учтён"),
    ("w2_2_2_nobias.py", "wrong", "смещение (bias) не прибавлено"),
    ("w2_2_2_swapped_hw.py", "wrong", "высота и ширина выхода перепутаны"),
    ("w2_2_2_transposed.py", "wrong", "выход транспонирован"),
    ("w2_2_2_detached.py", "wrong", "выход не связан с графом вычислений"),
    ("w2_2_2_conv2d.py", "forbidden", "torch.nn.functional.conv2d"),
    ("w2_2_3_unbiased.py", "wrong", "дисперсия посчитана с делением на n − 1"),
    ("w2_2_3_per_image.py", "wrong", "для каждой картинки отдельно"),
    ("w2_2_3_per_pixel.py", "wrong", "для каждого пикселя отдельно"),
    ("w2_2_3_no_affine.py", "wrong", "γ (gamma) и β (beta) не применены"),
    ("w2_2_3_detached_stats.py", "wrong", "значения верны, а градиент по x — нет"),
    ("w2_2_3_module.py", "forbidden", "torch.nn.BatchNorm2d"),
    ("w2_2_4_no_train.py", "wrong", "будто сеть всю эпоху была в режиме eval()"),
    ("w2_2_4_no_zero_grad.py", "wrong", "градиенты копились от батча к батчу"),
    ("w2_2_4_no_step.py", "wrong", "веса модели не изменились"),
    ("w2_2_4_batch_means.py", "wrong", "вы усреднили средние батчей"),
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
