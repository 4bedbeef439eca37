"""Проверки упражнений урока 1.1 «Тензоры: создание, типы, мост в NumPy»."""

import numpy as np
import torch

from kurs.exercises.spec import call, expect_tensor, fail

# (строк, столбцов): квадрат, вытянутые, нечётные и вырожденные в одну строку или столбец.
SIZES = [(2, 3), (1, 1), (4, 4), (3, 5), (1, 7), (6, 1), (5, 2)]


def check_numbered_grid(numbered_grid):
    expected = torch.tensor([[1, 2, 3], [4, 5, 6]])
    expect_tensor(call(numbered_grid, 2, 3, torch.int64), expected, what="numbered_grid(2, 3)")
    for number, (rows, cols) in enumerate(SIZES):
        for dtype in (torch.int64, torch.int32, torch.float32):
            got = call(numbered_grid, rows, cols, dtype)
            reference = torch.arange(1, rows * cols + 1, dtype=dtype).reshape(rows, cols)
            expect_tensor(
                got,
                reference,
                what=f"numbered_grid({rows}, {cols}, {dtype})",
            )
        if number == 0:
            got = call(numbered_grid, rows, cols)
            expect_tensor(
                got, torch.arange(1, 7).reshape(2, 3), what="numbered_grid(2, 3) без dtype"
            )


def _board(rows, cols):
    return (torch.arange(rows).reshape(-1, 1) + torch.arange(cols)) % 2


def check_chessboard(chessboard):
    expected = torch.tensor([[0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1]], dtype=torch.int64)
    expect_tensor(call(chessboard, 3, 4, torch.int64), expected, what="chessboard(3, 4, int64)")
    for rows, cols in SIZES:
        for dtype in (torch.float32, torch.int64, torch.bool):
            expect_tensor(
                call(chessboard, rows, cols, dtype),
                _board(rows, cols).to(dtype),
                what=f"chessboard({rows}, {cols}, {dtype})",
            )
    expect_tensor(call(chessboard, 2, 2), _board(2, 2).float(), what="chessboard(2, 2) без dtype")


def _arrays():
    rng = np.random.default_rng(0)
    return [
        ("float32 (2, 3)", rng.standard_normal((2, 3)).astype(np.float32)),
        ("float32 (4,)", rng.standard_normal(4).astype(np.float32)),
        ("float32 (2, 3, 2)", rng.standard_normal((2, 3, 2)).astype(np.float32)),
        ("float64 (3, 2)", rng.standard_normal((3, 2))),
        ("int64 (5,)", rng.integers(-9, 10, size=5)),
        ("int32 (2, 2)", rng.integers(0, 100, size=(2, 2)).astype(np.int32)),
        ("bool (3,)", np.array([True, False, True])),
    ]


def check_as_float32(as_float32):
    for name, array in _arrays():
        before = array.copy()
        got = call(as_float32, array)
        if not isinstance(got, torch.Tensor):
            fail(f"массив {name}: ожидался torch.Tensor, получен {type(got).__name__}")
        if array.dtype != before.dtype or not np.array_equal(array, before):
            fail(
                f"массив {name}: ваша функция изменила сам массив NumPy; "
                "его тип и значения должны остаться прежними"
            )
        if got.device.type != "cpu":
            fail(f"массив {name}: тензор должен лежать на CPU, а он на {got.device}")
        expected = torch.from_numpy(before).to(torch.float32)
        expect_tensor(got, expected, what=f"тензор из массива {name}")
        if array.dtype != np.float32:
            continue
        if got.requires_grad or not np.shares_memory(array, got.numpy()):
            fail(
                f"массив {name} уже хранит float32, но ваш тензор не делит с ним память: "
                "данные скопированы. Нужна функция, которая не копирует массив, "
                "когда тип менять не нужно"
            )
        array.flat[0] = 123.0
        if got.reshape(-1)[0].item() != 123.0:
            fail(f"массив {name}: изменили array[0], а тензор этого не увидел — память не общая")
        got.reshape(-1)[-1] = -7.0
        if array.flat[-1] != -7.0:
            fail(f"массив {name}: изменили последний элемент тензора, а массив этого не увидел")
