"""Намеренно неверные решения упражнений урока 2.2: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/2.2/; общая часть — в wrong_verdicts.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

from pathlib import Path

from wrong_verdicts import make_tests

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


(
    test_wrong_solution_gets_precise_and_repeatable_verdict,
    test_every_wrong_solution_file_is_listed,
) = make_tests(WRONG, CASES)
