"""Намеренно неверные решения упражнений урока 2.1: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/2.1/; общая часть — в wrong_verdicts.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

from pathlib import Path

import pytest
import torch
from torchvision.utils import make_grid
from wrong_verdicts import make_tests

from kurs.exercises.checks.lesson_2_1 import _grid_reference

WRONG = Path(__file__).parent / "wrong" / "2.1"

CASES = [
    ("w2_1_1_no255.py", "wrong", "mean в 255 раз больше ожидаемого"),
    ("w2_1_1_allchannels.py", "wrong", "одно число на все каналы"),
    ("w2_1_1_perimage.py", "wrong", "по числу на каждую картинку и канал"),
    ("w2_1_1_float64.py", "wrong", "ожидался тип torch.float32, получен torch.float64"),
    ("w2_1_2_noscale.py", "wrong", "яркость не переведена в [0, 1] перед Normalize"),
    ("w2_1_2_nonorm.py", "wrong", "Normalize не применён"),
    ("w2_1_2_augment.py", "wrong", "не место случайным аугментациям"),
    ("w2_1_2_hwc.py", "wrong", "каналы стоят последними (H, W, C)"),
    ("w2_1_3_noendpad.py", "wrong", "не хватает рамки справа и снизу"),
    ("w2_1_3_onechannel.py", "wrong", "у сетки один канал"),
    ("w2_1_3_fullrows.py", "wrong", "столбцов столько, сколько картинок"),
    ("w2_1_3_columns_first.py", "wrong", "картинки разложены по столбцам"),
    ("w2_1_3_torchvision.py", "forbidden", "torchvision.utils.make_grid"),
]


(
    test_wrong_solution_gets_precise_and_repeatable_verdict,
    test_every_wrong_solution_file_is_listed,
) = make_tests(WRONG, CASES)


@pytest.mark.parametrize(
    ("shape", "nrow", "padding"),
    [((16, 1, 5, 5), 4, 2), ((10, 3, 4, 6), 4, 1), ((3, 1, 3, 3), 8, 2), ((6, 3, 2, 2), 3, 0)],
)
def test_grid_reference_is_torchvision_make_grid(shape, nrow, padding):
    """Эталон проверки 2.1.3 — это в точности torchvision.utils.make_grid."""
    images = torch.rand(shape, generator=torch.Generator().manual_seed(0))
    assert torch.equal(
        _grid_reference(images, nrow, padding), make_grid(images, nrow=nrow, padding=padding)
    )
