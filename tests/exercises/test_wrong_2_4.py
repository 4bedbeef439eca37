"""Намеренно неверные решения упражнений урока 2.4: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/2.4/; устроено как test_wrong_solutions.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

from pathlib import Path

from wrong_verdicts import make_tests

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


(
    test_wrong_solution_gets_precise_and_repeatable_verdict,
    test_every_wrong_solution_file_is_listed,
) = make_tests(WRONG, CASES)
