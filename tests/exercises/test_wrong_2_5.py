"""Намеренно неверные решения упражнений урока 2.5: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/2.5/; устроено как test_wrong_solutions.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

from pathlib import Path

from wrong_verdicts import make_tests

WRONG = Path(__file__).parent / "wrong" / "2.5"

CASES = [
    ("w2_5_1_flip.py", "wrong", "вы перевернули строки целиком, вместе с дополнением"),
    ("w2_5_1_padzero.py", "wrong", "настоящие шаги перевёрнуты верно, но хвост дополнения"),
    ("w2_5_1_inplace.py", "wrong", "ваша функция изменила входной аргумент №1 на месте"),
    ("w2_5_2_fullflip.py", "wrong", "обратная LSTM начинала чтение с дополнения"),
    ("w2_5_2_noflipback.py", "wrong", "обратная половина идёт в перевёрнутом порядке шагов"),
    ("w2_5_2_swapped.py", "wrong", "половины выхода переставлены: сначала идёт прямое"),
    ("w2_5_2_nomask.py", "wrong", "на шагах дополнения выход должен быть нулём"),
    ("w2_5_2_noreverse.py", "wrong", "обратная LSTM прочла последовательность слева направо"),
    ("w2_5_3_last.py", "wrong", "обратная половина взята с шага T − 1"),
    ("w2_5_3_lastreal.py", "wrong", "обратная половина взята с последнего настоящего шага"),
    ("w2_5_3_forward_t.py", "wrong", "прямая половина взята с шага T − 1"),
]


(
    test_wrong_solution_gets_precise_and_repeatable_verdict,
    test_every_wrong_solution_file_is_listed,
) = make_tests(WRONG, CASES)
