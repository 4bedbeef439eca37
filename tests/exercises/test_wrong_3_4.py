"""Намеренно неверные решения упражнений урока 3.4: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/3.4/; устроено как test_wrong_solutions.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

from pathlib import Path

from wrong_verdicts import make_tests

WRONG = Path(__file__).parent / "wrong" / "3.4"

_CASES = [
    ("w3_4_1_nodetach.py", "у параметров генератора появились градиенты"),
    ("w3_4_1_detach_inplace.py", "вход fake оторван от генератора: detach_() с подчёркиванием"),
    ("w3_4_1_swapped.py", "метки перепутаны: настоящим — 1, подделкам — 0"),
    ("w3_4_1_real_only.py", "учтены только настоящие картинки, нужны и подделки"),
    ("w3_4_1_cat.py", "это среднее двух потерь, а нужна их сумма"),
    ("w3_4_1_sigmoid.py", "сигмоида применена дважды"),
    ("w3_4_1_item.py", "ожидался torch.Tensor с потерями, получен float"),
    ("w3_4_2_nodetach.py", "потери дискриминатора тоже прошли через генератор"),
    ("w3_4_2_g_first.py", "шаг генератора сделан раньше шага дискриминатора"),
    ("w3_4_2_saturating.py", "генератор учится насыщающейся формой ln(1 − D(G(z)))"),
    ("w3_4_2_detach_g.py", "градиент не дошёл до генератора"),
    ("w3_4_2_no_zero_d.py", "(шаг 2 из 3, SGD lr = 0.1, батч 6) параметры дискриминатора"),
    ("w3_4_2_tensors.py", "значения верны, но верните числа: d_loss.item(), g_loss.item()"),
    ("w3_4_3_logits.py", "это порог на логитах"),
    ("w3_4_3_any_count.py", "если уверенных картинок в нём не меньше min_count = 20"),
    ("w3_4_3_all_count.py", "считать нужно только уверенные картинки"),
    ("w3_4_3_entropy.py", "это энтропия H; эффективное число классов — exp(H)"),
    ("w3_4_3_confident_only.py", "посчитано по уверенным картинкам, а нужно по всем"),
    ("w3_4_3_nan_entropy.py", "все 50 картинок — уверенно класс 2 из 4): ваш результат nan"),
]

CASES = [(name, "wrong", fragment) for name, fragment in _CASES]

(
    test_wrong_solution_gets_precise_and_repeatable_verdict,
    test_every_wrong_solution_file_is_listed,
) = make_tests(WRONG, CASES)
