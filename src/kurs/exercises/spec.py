"""Из чего состоит упражнение и чем проверка сравнивает ответ ученика с эталоном.

Сообщения проверки — по-русски и в порядке, в каком ошибку проще всего найти:
сначала тип, потом форма, потом dtype и только потом значения.
"""

from __future__ import annotations

import contextlib
import importlib
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXERCISES_DIR = Path(__file__).resolve().parent
STUBS_DIR = EXERCISES_DIR / "stubs"
INFO_DIR = EXERCISES_DIR / "info"
SOLUTIONS_DIR = EXERCISES_DIR / "solutions"

# Если в тензоре не больше стольких чисел, показываем его целиком рядом с эталоном.
SHOW_LIMIT = 40


@dataclass(frozen=True)
class Exercise:
    """Описание упражнения из info/<урок>.toml; сама проверка импортируется лишь по требованию.

    Так команды, которые ничего не проверяют (список, подсказка, эталон), не платят
    за импорт torch: модули проверок импортируют его сразу.
    """

    id: str  # «1.3.2»: урок 1.3, упражнение 2
    title: str
    file: str  # имя файла заготовки (и эталонного решения) в папке урока
    name: str  # функция или класс, который пишет ученик
    checker: str  # имя функции проверки в kurs.exercises.checks.lesson_<урок>
    forbidden: tuple[str, ...] = ()  # «torch.softmax»: вызывать нельзя по условию
    time_limit: float = 10.0  # секунд на всю проверку
    hints: tuple[str, ...] = field(default=(), repr=False)

    @property
    def lesson(self) -> str:
        return self.id.rsplit(".", 1)[0]

    @property
    def stub_path(self) -> Path:
        return STUBS_DIR / self.lesson / self.file

    @property
    def solution_path(self) -> Path:
        return SOLUTIONS_DIR / self.lesson / self.file

    @property
    def check(self) -> Callable[[Any], None]:
        module = importlib.import_module(
            f"kurs.exercises.checks.lesson_{self.lesson.replace('.', '_')}"
        )
        return getattr(module, self.checker)


class CheckFailure(Exception):
    """Ответ ученика не совпал с ожидаемым; текст исключения — сообщение ученику."""


class ForbiddenCall(Exception):
    """Ученик вызвал функцию, которую условие запрещает."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def fail(message: str) -> None:
    raise CheckFailure(message)


def _fmt_shape(shape) -> str:
    return str(tuple(shape))


def _show(tensor) -> str:
    text = str(tensor.detach().cpu())
    return "\n".join("      " + line for line in text.splitlines())


def expect_tensor(
    got: Any,
    expected,
    *,
    what: str = "результат",
    inputs: str | None = None,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    check_dtype: bool = True,
) -> None:
    """Сравнивает тензор ученика с эталоном: тип → форма → dtype → значения."""
    import torch

    where = f" (входные данные: {inputs})" if inputs else ""
    if not isinstance(got, torch.Tensor):
        fail(f"{what}{where}: ожидался torch.Tensor, получен {type(got).__name__}")
    if got.shape != expected.shape:
        fail(
            f"{what}{where}: ожидалась форма {_fmt_shape(expected.shape)}, "
            f"получена {_fmt_shape(got.shape)}"
        )
    if check_dtype and got.dtype != expected.dtype:
        fail(f"{what}{where}: ожидался тип {expected.dtype}, получен {got.dtype}")
    got_cpu, expected_cpu = got.detach().cpu(), expected.detach().cpu()
    if expected_cpu.dtype == torch.bool or not expected_cpu.is_floating_point():
        same = torch.equal(got_cpu.to(expected_cpu.dtype), expected_cpu)
        worst = ""
    else:
        same = torch.allclose(
            got_cpu.double(), expected_cpu.double(), atol=atol, rtol=rtol, equal_nan=True
        )
        worst = ""
        if not same:
            diff = (got_cpu.double() - expected_cpu.double()).abs().nan_to_num(float("inf"))
            worst = f"; наибольшее расхождение {diff.max().item():.3g}"
    if same:
        return
    message = f"{what}{where}: значения не совпадают{worst}"
    if expected_cpu.numel() <= SHOW_LIMIT:
        message += f"\n    ваш результат:\n{_show(got_cpu)}\n    ожидалось:\n{_show(expected_cpu)}"
    fail(message)


def expect_close(got: Any, expected: float, *, what: str = "результат", tol: float = 1e-4) -> None:
    """Сравнивает число ученика с эталоном (допускается 0-мерный тензор)."""
    import torch

    if isinstance(got, torch.Tensor):
        if got.numel() != 1:
            fail(f"{what}: ожидалось одно число, получен тензор формы {_fmt_shape(got.shape)}")
        got = got.item()
    if not isinstance(got, (int, float)):
        fail(f"{what}: ожидалось число, получен {type(got).__name__}")
    if math.isnan(got) and not math.isnan(expected):
        # nan не больше и не меньше никакого числа: сравнение ниже его бы пропустило.
        fail(
            f"{what}: ваш результат nan, ожидалось {expected:.6g} — nan обычно получается "
            "из 0·ln 0 или 0/0"
        )
    if math.isinf(got) and got != expected:
        fail(f"{what}: ваш результат {got}, ожидалось {expected:.6g}")
    if abs(got - expected) > tol * max(1.0, abs(expected)):
        fail(f"{what}: ваш результат {got:.6g}, ожидалось {expected:.6g}")


def _clone_tree(value):
    import torch

    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, (list, tuple)):
        return type(value)(_clone_tree(item) for item in value)
    if isinstance(value, dict):
        return {key: _clone_tree(item) for key, item in value.items()}
    return value


def _changed(before, after) -> bool:
    import torch

    if isinstance(before, torch.Tensor):
        after = after.detach()
        if before.shape != after.shape or before.dtype != after.dtype:
            return True
        if before.is_floating_point() or before.is_complex():
            # NaN не равен сам себе: сравниваем отдельно положение NaN и остальные числа.
            return not (
                torch.equal(before.isnan(), after.isnan())
                and torch.equal(before.nan_to_num(), after.nan_to_num())
            )
        return not torch.equal(before, after)
    if isinstance(before, (list, tuple)):
        return any(_changed(b, a) for b, a in zip(before, after, strict=True))
    if isinstance(before, dict):
        return any(_changed(before[key], after[key]) for key in before)
    return False


_active_forbidden: tuple[str, ...] = ()


def _resolve(dotted: str) -> tuple[Any, str]:
    """«torch.nn.functional.softmax» → (модуль torch.nn.functional, "softmax")."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:-1]:
            owner = getattr(owner, attr)
        return owner, parts[-1]
    raise ValueError(dotted)


@contextlib.contextmanager
def forbid(names: tuple[str, ...]) -> Iterator[None]:
    """На время кода ученика подменяет запрещённые функции ловушками."""
    saved = []
    for dotted in names:
        owner, attr = _resolve(dotted)

        def trap(*args, __name=dotted, **kwargs):
            raise ForbiddenCall(__name)

        saved.append((owner, attr, getattr(owner, attr)))
        setattr(owner, attr, trap)
    try:
        yield
    finally:
        for owner, attr, original in reversed(saved):
            setattr(owner, attr, original)


def set_forbidden(names: tuple[str, ...]) -> None:
    global _active_forbidden
    _active_forbidden = names


def call(fn: Callable, *args, **kwargs):
    """Вызывает код ученика и следит, чтобы он не менял входные тензоры на месте."""
    before_args, before_kwargs = _clone_tree(args), _clone_tree(kwargs)
    with forbid(_active_forbidden):
        result = fn(*args, **kwargs)
    for number, (before, after) in enumerate(zip(before_args, args, strict=True), start=1):
        if _changed(before, after):
            fail(
                f"ваша функция изменила входной аргумент №{number} на месте (in-place); "
                "верните новый тензор и не трогайте входные данные"
            )
    for key, before in before_kwargs.items():
        if _changed(before, kwargs[key]):
            fail(f"ваша функция изменила входной аргумент «{key}» на месте (in-place)")
    return result
