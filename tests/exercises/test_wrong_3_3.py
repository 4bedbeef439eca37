"""Намеренно неверные решения упражнений урока 3.3: точный и повторяемый вердикт.

Файлы — в tests/exercises/wrong/3.3/; устроено как test_wrong_solutions.py: каждый файл
проверяется дважды при разном состоянии глобальных генераторов, вердикт обязан совпасть.
"""

from pathlib import Path

from wrong_verdicts import make_tests

WRONG = Path(__file__).parent / "wrong" / "3.3"

_CASES = [
    ("w3_3_1_swapped.py", "это KL(p ‖ q): распределения перепутаны местами"),
    ("w3_3_1_standard.py", "это KL до стандартного N(0, I), как в уроке"),
    ("w3_3_1_nosum.py", "KL по координатам нужно сложить по последней оси"),
    ("w3_3_1_nohalf.py", "ровно вдвое больше: в формуле есть множитель ½"),
    ("w3_3_1_std.py", "в дроби стоят стандартные отклонения σ, а нужны дисперсии"),
    ("w3_3_1_detach.py", "результат оторван от графа вычислений"),
    ("w3_3_2_sample.py", "коды оторваны от графа вычислений: так работает Normal(...).sample()"),
    ("w3_3_2_torch_normal.py", "градиент по mu нулевой"),
    ("w3_3_2_variance.py", "похоже, σ = exp(log_var) — но это дисперсия"),
    ("w3_3_2_shared.py", "коды разных элементов батча связаны"),
    ("w3_3_2_one_eps.py", "все 7 кодов одинаковые: для каждого кода нужна своя ε"),
    ("w3_3_3_naive.py", "exp(−150) в float32 — ноль"),
    ("w3_3_3_elbo.py", "это среднее логарифмов весов — оценка ELBO"),
    ("w3_3_3_no_log_k.py", "ответ больше ожидаемого ровно на ln K"),
    ("w3_3_3_batch_mean.py", "нужна оценка для каждой картинки, по батчу не усредняйте"),
]

CASES = [(name, "wrong", fragment) for name, fragment in _CASES]

(
    test_wrong_solution_gets_precise_and_repeatable_verdict,
    test_every_wrong_solution_file_is_listed,
) = make_tests(WRONG, CASES)
