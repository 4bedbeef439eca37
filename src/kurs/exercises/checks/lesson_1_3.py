"""Проверки упражнений урока 1.3 «Вычислительный граф и автоматическое дифференцирование»."""

import torch

from kurs.exercises.spec import call, expect_close, expect_tensor, fail

# Формы и зёрна меняются от случая к случаю: решение, подогнанное под один пример, не пройдёт.
CASES = [((), 0), ((3,), 1), ((2, 4), 2), ((5, 1, 3), 3)]


def _autograd_reference(f, x):
    leaf = x.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(f(leaf), leaf)
    return grad


def check_chain_rule(chain_rule):
    b, c = torch.tensor(1.0), torch.tensor(2.0)
    got = call(chain_rule, b, c)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail("ожидалась пара (∂a/∂b, ∂a/∂c)")
    expect_close(got[0], 4.0, what="∂a/∂b при b=1, c=2")
    expect_close(got[1], 7.0, what="∂a/∂c при b=1, c=2")
    for shape, seed in CASES:
        gen = torch.Generator().manual_seed(seed)
        b, c = torch.randn(shape, generator=gen), torch.randn(shape, generator=gen)
        da_db, da_dc = call(chain_rule, b, c)
        leaf_b, leaf_c = b.clone().requires_grad_(True), c.clone().requires_grad_(True)
        ((leaf_b + leaf_c) * (leaf_c + 2)).sum().backward()
        inputs = f"форма {tuple(shape)}, зерно {seed}"
        expect_tensor(da_db, leaf_b.grad, what="∂a/∂b", inputs=inputs)
        expect_tensor(da_dc, leaf_c.grad, what="∂a/∂c", inputs=inputs)


FUNCTIONS = [
    ("сумма кубов", lambda x: (x**3).sum()),
    ("sin(x)·x", lambda x: (torch.sin(x) * x).sum()),
    ("квадрат нормы", lambda x: (x * x).sum()),
    ("log-sum-exp", lambda x: torch.logsumexp(x.reshape(-1), dim=0)),
]


def check_numerical_gradient(numerical_gradient):
    for number, (name, f) in enumerate(FUNCTIONS):
        shape, seed = CASES[1 + number % 3]
        x = torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
        got = call(numerical_gradient, f, x, 1e-4)
        expect_tensor(
            got,
            _autograd_reference(f, x),
            what=f"градиент функции «{name}»",
            inputs=f"форма {tuple(shape)}",
            atol=1e-5,
            rtol=1e-5,
        )
    # «x любой формы» — и транспонированный, чьи элементы лежат в памяти не подряд.
    name, f = FUNCTIONS[0]
    x = torch.randn(4, 3, generator=torch.Generator().manual_seed(7), dtype=torch.float64).T
    got = call(numerical_gradient, f, x, 1e-4)
    expect_tensor(
        got,
        _autograd_reference(f, x),
        what=f"градиент функции «{name}»",
        inputs="транспонированный x формы (3, 4): x.is_contiguous() == False",
        atol=1e-5,
        rtol=1e-5,
    )


def check_value_and_grad(value_and_grad):
    for (shape, seed), (name, f) in zip(CASES, FUNCTIONS, strict=True):
        x = torch.randn(shape, generator=torch.Generator().manual_seed(seed))
        got = call(value_and_grad, f, x)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            fail("ожидалась пара (значение, градиент)")
        value, grad = got
        if x.requires_grad or x.grad is not None:
            fail("входной x изменился: у него появился requires_grad или .grad; работайте с копией")
        for what, tensor in (
            ("значение всё ещё связано", value),
            ("градиент всё ещё связан", grad),
        ):
            if isinstance(tensor, torch.Tensor) and tensor.requires_grad:
                fail(f"{what} с графом (requires_grad=True); отцепите его: .detach()")
        inputs = f"функция «{name}», форма {tuple(shape)}"
        expect_tensor(value, f(x), what="значение", inputs=inputs)
        expect_tensor(grad, _autograd_reference(f, x), what="градиент", inputs=inputs)


def _descent_reference(f, x0, lr, steps, *, zero_grad=True):
    """Градиентный спуск по формуле; zero_grad=False — типичная ошибка с накоплением."""
    x = x0.detach().clone()
    total = torch.zeros_like(x)
    for _ in range(steps):
        grad = _autograd_reference(f, x)
        total = grad if zero_grad else total + grad
        x = x - lr * total
    return x


DESCENT_CASES = [
    ("квадрат нормы", lambda x: (x * x).sum(), 0.1, 5),
    (
        "(x − 3)² по элементам с весами",
        lambda x: ((x - 3) ** 2 * torch.arange(1, x.numel() + 1).reshape(x.shape)).sum(),
        0.05,
        12,
    ),
    ("сумма x⁴ − x²", lambda x: (x**4 - x**2).sum(), 0.02, 20),
]


def check_minimize(minimize):
    for number, (name, f, lr, steps) in enumerate(DESCENT_CASES):
        shape, seed = CASES[1 + number % 3]
        x0 = torch.randn(shape, generator=torch.Generator().manual_seed(seed))
        got = call(minimize, f, x0, lr, steps)
        inputs = f"функция «{name}», форма {tuple(shape)}, lr={lr}, шагов {steps}"
        if isinstance(got, torch.Tensor) and got.requires_grad:
            fail(f"{inputs}: ответ связан с графом (requires_grad=True); верните x.detach()")
        if x0.requires_grad or x0.grad is not None:
            fail(f"{inputs}: у входного x0 появился requires_grad или .grad; работайте с копией")
        expected = _descent_reference(f, x0, lr, steps)
        accumulated = _descent_reference(f, x0, lr, steps, zero_grad=False)
        if (
            isinstance(got, torch.Tensor)
            and got.shape == expected.shape
            and not torch.allclose(got, expected, atol=1e-5)
            and torch.allclose(got, accumulated, atol=1e-5)
        ):
            fail(
                f"{inputs}: градиенты накапливаются от шага к шагу — обнуляйте x.grad "
                "перед каждым backward (x.grad = None или x.grad.zero_())"
            )
        expect_tensor(got, expected, what="точка после спуска", inputs=inputs)
