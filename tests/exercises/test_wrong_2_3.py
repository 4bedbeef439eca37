"""Намеренно неверные решения упражнений урока 2.3: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/2.3/; устроено как test_wrong_solutions.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

from pathlib import Path

from wrong_verdicts import make_tests

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


(
    test_wrong_solution_gets_precise_and_repeatable_verdict,
    test_every_wrong_solution_file_is_listed,
) = make_tests(WRONG, CASES)
