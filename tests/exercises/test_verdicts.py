"""Проверка получает намеренно неверные решения разных видов; вердикт и текст — точные."""

import textwrap

import pytest

from kurs.exercises import sandbox
from kurs.exercises.registry import find

HEADER = "import torch\n\n"


@pytest.fixture
def solve(tmp_path):
    """Пишет решение в файл ученика и проверяет его как упражнение exercise_id."""

    def run(exercise_id: str, body: str, **kwargs):
        path = tmp_path / find(exercise_id).file
        path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
        return sandbox.check(find(exercise_id), path, **kwargs)

    return run


def test_wrong_shape_is_reported_before_values(solve):
    verdict = solve(
        "1.3.1",
        """
        def chain_rule(b, c):
            return (c + 2).reshape(1, -1), b + 2 * c + 2
        """,
    )
    assert verdict.kind == sandbox.WRONG
    assert "ожидалась форма (), получена (1, 1)" in verdict.message


def test_wrong_dtype(solve):
    verdict = solve(
        "1.3.1",
        """
        def chain_rule(b, c):
            return (c + 2).double(), (b + 2 * c + 2).double()
        """,
    )
    assert verdict.kind == sandbox.WRONG
    assert "ожидался тип torch.float32, получен torch.float64" in verdict.message


def test_wrong_value_shows_yours_beside_expected(solve):
    verdict = solve(
        "1.3.1",
        """
        def chain_rule(b, c):
            return c + 2, b + c  # забыт вклад второго множителя
        """,
    )
    assert verdict.kind == sandbox.WRONG
    assert "∂a/∂c при b=1, c=2: ваш результат 3, ожидалось 7" in verdict.message


def test_solution_fitted_to_one_example_fails_on_random_inputs(solve):
    verdict = solve(
        "1.3.1",
        """
        def chain_rule(b, c):
            return torch.full_like(b, 4.0), torch.full_like(c, 7.0)
        """,
    )
    assert verdict.kind == sandbox.WRONG
    assert "зерно" in verdict.message and "ваш результат" in verdict.message


def test_in_place_modification_of_input(solve):
    verdict = solve(
        "1.3.2",
        """
        def numerical_gradient(f, x, eps=1e-3):
            grad = torch.zeros_like(x)
            flat = x.view(-1)
            for i in range(x.numel()):
                old = flat[i].item()
                flat[i] = old + eps
                up = f(x)
                flat[i] = old - eps
                down = f(x)
                flat[i] = old + 1.0  # «забыли» вернуть элемент на место
                grad.view(-1)[i] = (up - down) / (2 * eps)
            return grad
        """,
    )
    assert verdict.kind == sandbox.WRONG
    assert "изменила входной аргумент №2 на месте" in verdict.message


def test_exception_points_to_learners_own_line(solve):
    verdict = solve(
        "1.3.1",
        """
        def chain_rule(b, c):
            d = b + c
            e = c + 2
            return d @ e.reshape(3, 7), e
        """,
    )
    assert verdict.kind == sandbox.ERROR
    # Строка 7 файла: две строки заголовка, пустая строка dedent и тело функции.
    assert "строка 7 файла ex1_chain_rule.py: return d @ e.reshape(3, 7), e" in verdict.message
    assert "RuntimeError" in verdict.message
    assert "По-русски: в новой форме (view/reshape) должно быть столько же элементов" in (
        verdict.message
    )
    assert "sandbox.py" not in verdict.message and "Traceback" not in verdict.message


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ("return torch.ones(2, 3) @ torch.ones(2, 3), c", "число столбцов первой матрицы"),
        ("return torch.ones(2) + torch.ones(3), c", "одна из них должна быть 1 (broadcasting)"),
        (
            "return torch.nn.functional.binary_cross_entropy(b, c), c",
            "BCELoss ждёт вероятности от 0 до 1",
        ),
    ],
    ids=["matmul", "broadcast", "bce-on-logits"],
)
def test_common_torch_errors_are_explained_in_russian(solve, body, hint):
    verdict = solve("1.3.1", "def chain_rule(b, c):\n    " + body + "\n")
    assert verdict.kind == sandbox.ERROR
    assert "По-русски: " in verdict.message and hint in verdict.message


def test_not_implemented_from_a_library_is_an_error_not_an_unsolved_stub(solve):
    """«Не решено» — только raise NotImplementedError в файле ученика. Если его бросил torch
    (здесь: модуль без forward), ученик должен увидеть свою строку и ошибку."""
    stub = solve(
        "1.3.1",
        """
        def chain_rule(b, c):
            raise NotImplementedError
        """,
    )
    assert stub.kind == sandbox.NOT_DONE
    verdict = solve(
        "1.3.1",
        """
        def chain_rule(b, c):
            layer = torch.nn.Module()
            return layer(b), c
        """,
    )
    assert verdict.kind == sandbox.ERROR
    assert "строка 6 файла ex1_chain_rule.py: return layer(b), c" in verdict.message
    assert "NotImplementedError" in verdict.message and "forward" in verdict.message


def test_endless_loop_is_stopped_by_time_limit(solve):
    verdict = solve(
        "1.3.1",
        """
        def chain_rule(b, c):
            while True:
                pass
        """,
        time_limit=1.0,
    )
    assert verdict.kind == sandbox.TIMEOUT
    assert "не уложилось в 1 с" in verdict.message


def test_huge_allocation_is_stopped_by_memory_limit(solve):
    verdict = solve(
        "1.3.1",
        """
        def chain_rule(b, c):
            big = torch.empty(100 * 1024**3, dtype=torch.uint8)  # 100 ГБ
            return big, big
        """,
    )
    assert verdict.kind == sandbox.MEMORY
    assert "лимит памяти" in verdict.message and "строка 5" in verdict.message


def test_forbidden_shortcut(solve):
    verdict = solve(
        "1.3.1",
        """
        def chain_rule(b, c):
            b = b.clone().requires_grad_(True)
            c = c.clone().requires_grad_(True)
            ((b + c) * (c + 2)).sum().backward()
            return b.grad, c.grad
        """,
    )
    assert verdict.kind == sandbox.FORBIDDEN
    assert "torch.Tensor.backward" in verdict.message


def test_forbidden_trap_is_removed_after_the_check():
    import torch

    original = torch.Tensor.backward
    from kurs.exercises.spec import forbid

    with forbid(("torch.Tensor.backward",)):
        assert torch.Tensor.backward is not original
    assert torch.Tensor.backward is original


def test_syntax_error(solve, tmp_path):
    verdict = solve("1.3.1", "def chain_rule(b, c)\n    return b, c\n")
    assert verdict.kind == sandbox.SYNTAX
    # Русское начало, строка ученика, английский текст Python — и никакого полного пути.
    assert verdict.message.startswith(
        "синтаксическая ошибка в строке 3 файла ex1_chain_rule.py: ожидалось двоеточие «:»"
    )
    assert "def chain_rule(b, c)" in verdict.message
    assert "(Python пишет по-английски: expected ':')" in verdict.message
    assert str(tmp_path) not in verdict.message


def test_indentation_error(solve):
    verdict = solve("1.3.1", "def chain_rule(b, c):\nreturn b, c\n")
    assert verdict.kind == sandbox.SYNTAX
    assert verdict.message.startswith(
        "ошибка отступа в строке 4 файла ex1_chain_rule.py: ожидался блок с отступом"
    )


def test_renamed_function(solve):
    verdict = solve("1.3.1", "def chain(b, c):\n    return b, c\n")
    assert verdict.kind == sandbox.ERROR
    assert "нет «chain_rule»" in verdict.message


def test_wrong_return_kind_gets_a_clear_message(solve):
    verdict = solve("1.3.3", "def value_and_grad(f, x):\n    return None\n")
    assert verdict.kind == sandbox.WRONG
    assert "ожидалась пара (значение, градиент)" in verdict.message


def test_not_detached_result(solve):
    verdict = solve(
        "1.3.3",
        """
        def value_and_grad(f, x):
            leaf = x.detach().clone().requires_grad_(True)
            value = f(leaf)
            (grad,) = torch.autograd.grad(value, leaf, create_graph=True)
            return value, grad
        """,
    )
    assert verdict.kind == sandbox.WRONG
    assert "значение всё ещё связано с графом" in verdict.message


def test_sys_exit_in_learner_code_is_a_verdict_not_an_exit(solve):
    verdict = solve("1.3.1", "import sys\n\ndef chain_rule(b, c):\n    sys.exit(3)\n")
    assert verdict.kind == sandbox.ERROR
    assert "SystemExit" in verdict.message
