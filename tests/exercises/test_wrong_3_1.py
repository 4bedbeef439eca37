"""Намеренно неверные решения упражнений урока 3.1: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/3.1/; устроено как test_wrong_solutions.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

from pathlib import Path

from wrong_verdicts import make_tests

WRONG = Path(__file__).parent / "wrong" / "3.1"

_CASES = [
    ("w3_1_1_nats.py", "это наты (натуральный логарифм)"),
    ("w3_1_1_no_alpha.py", "Прибавьте alpha к счётчику каждой пары"),
    ("w3_1_1_columns.py", "вы нормировали по столбцам и получили p(предыдущий | следующий)"),
    ("w3_1_1_unigram.py", "это униграммы"),
    ("w3_1_1_sum.py", "это сумма бит по всем символам, а нужно среднее на символ"),
    ("w3_1_1_joint.py", "вы поделили на число всех пар"),
    ("w3_1_2_columns.py", "символы розданы потокам по очереди"),
    ("w3_1_2_noshift.py", "цели y совпадают с входом X"),
    ("w3_1_2_tail.py", "в конце лишний неполный батч"),
    ("w3_1_2_overlap.py", "батчей 20, а ожидалось 4"),
    ("w3_1_3_multiply.py", "похоже, логиты умножены на T, а их нужно делить"),
    ("w3_1_3_argmax.py", "это argmax, а нужна случайная выборка"),
    ("w3_1_3_global.py", "случайность берите из переданного generator"),
    ("w3_1_3_no_topk.py", "выбран символ не из 3 самых вероятных"),
    ("w3_1_3_softmax_dim0.py", "частоты выборки не совпадают с softmax(логиты / T)"),
]

CASES = [(name, "wrong", fragment) for name, fragment in _CASES]

(
    test_wrong_solution_gets_precise_and_repeatable_verdict,
    test_every_wrong_solution_file_is_listed,
) = make_tests(WRONG, CASES)
