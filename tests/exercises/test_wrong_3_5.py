"""Намеренно неверные решения упражнений урока 3.5: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/3.5/; устроено как test_wrong_solutions.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

from pathlib import Path

from wrong_verdicts import make_tests

WRONG = Path(__file__).parent / "wrong" / "3.5"

CASES = [
    ("w3_5_1_default.py", "wrong", "EventAccumulator по умолчанию хранит не больше 10 000"),
    ("w3_5_1_events.py", "wrong", "элементы списка должны быть парами (шаг, значение)"),
    ("w3_5_1_missing.py", "wrong", "Для отсутствующего тега верните пустой список"),
    ("w3_5_1_onefile.py", "wrong", "в два файла событий) прочитано точек: 2, а в журнале их 4"),
    ("w3_5_2_every.py", "wrong", "в журнале 20 точек — по одной на каждый батч"),
    ("w3_5_2_before.py", "wrong", "шаги на кривой на 1 меньше нужных"),
    ("w3_5_2_restart.py", "wrong", "точки записаны на шагах [3, 6, 9, 3, 6, 9]"),
    ("w3_5_2_nozero.py", "wrong", "перед каждым backward() обнуляйте градиенты"),
    ("w3_5_2_noreturn.py", "wrong", "верните номер шага (int) после эпохи, получен NoneType"),
    ("w3_5_3_nograd.py", "wrong", "нужна ещё гистограмма «<имя>.grad»"),
    ("w3_5_3_nonecheck.py", "wrong", "вместо тензора передан None"),
    ("w3_5_3_sametag.py", "wrong", "нужна ещё гистограмма «<имя>.grad»"),
    ("w3_5_3_gradvalues.py", "wrong", "«body.weight.grad» описывает не значения этого градиента"),
]


(
    test_wrong_solution_gets_precise_and_repeatable_verdict,
    test_every_wrong_solution_file_is_listed,
) = make_tests(WRONG, CASES)
