"""Намеренно неверные решения упражнений урока 3.2: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/3.2/; устроено как test_wrong_solutions.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

from pathlib import Path

from wrong_verdicts import make_tests

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


(
    test_wrong_solution_gets_precise_and_repeatable_verdict,
    test_every_wrong_solution_file_is_listed,
) = make_tests(WRONG, CASES)
