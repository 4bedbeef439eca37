"""Проверки упражнений урока 1.6 «Линейная регрессия»."""

import copy
import warnings

import torch
from torch import nn

from kurs.exercises.spec import CheckFailure, call, expect_close, expect_tensor, fail


def _pair(got, what: str):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"ожидалась пара {what}, получен {type(got).__name__}")
    return got


def check_least_squares(least_squares):
    X = torch.tensor([[0.0], [1.0], [2.0], [3.0]])
    y = 2 * X[:, 0] - 1  # точки ровно на прямой y = 2x − 1
    w, b = _pair(call(least_squares, X, y), "(w, b)")
    inputs = "точки ровно на прямой y = 2x − 1"
    expect_tensor(w, torch.tensor([2.0]), what="w", inputs=inputs, atol=1e-4)
    expect_tensor(b, torch.tensor(-1.0), what="b", inputs=inputs, atol=1e-4)
    cases = [(12, 1, 0, torch.float64), (30, 3, 1, torch.float64), (9, 5, 2, torch.float64)]
    cases.append((50, 2, 3, torch.float32))
    for n, d, seed, dtype in cases:
        gen = torch.Generator().manual_seed(seed)
        X = torch.randn(n, d, generator=gen, dtype=dtype)
        y = X @ torch.randn(d, generator=gen, dtype=dtype) + 0.5
        y = y + 0.3 * torch.randn(n, generator=gen, dtype=dtype)  # шум: точного решения нет
        A = torch.cat([X, torch.ones(n, 1, dtype=dtype)], dim=1)
        theta = torch.linalg.lstsq(A, y.unsqueeze(1)).solution[:, 0]
        w, b = _pair(call(least_squares, X, y), "(w, b)")
        inputs = f"N={n}, D={d}, {dtype}, зерно {seed}"
        tol = 1e-7 if dtype == torch.float64 else 1e-4
        expect_tensor(w, theta[:-1], what="w", inputs=inputs, atol=tol, rtol=tol)
        expect_tensor(b, theta[-1], what="b", inputs=inputs, atol=tol, rtol=tol)


def _reference_step(model, X, y, optimizer, criterion, zero_grad=True) -> float:
    loss = criterion(model(X), y)
    if zero_grad:
        optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def _make_setup(seed: int, d: int, make_optimizer, criterion):
    gen = torch.Generator().manual_seed(seed)
    model = nn.Sequential(nn.Linear(d, 4), nn.Tanh(), nn.Linear(4, 1))
    with torch.no_grad():
        for param in model.parameters():
            param.copy_(torch.randn(param.shape, generator=gen) * 0.5)
            param.grad = torch.randn(param.shape, generator=gen)  # «мусор» прошлых шагов
    batches = [
        (torch.randn(8, d, generator=gen), torch.randn(8, 1, generator=gen)) for _ in range(2)
    ]
    return model, make_optimizer(model.parameters()), batches


def _copy_with_grads(model: nn.Module) -> nn.Module:
    """deepcopy параметры копирует, а .grad — нет; переносим «мусорные» градиенты сами."""
    twin = copy.deepcopy(model)
    for source, target in zip(model.parameters(), twin.parameters(), strict=True):
        target.grad = None if source.grad is None else source.grad.clone()
    return twin


def _params(model) -> list:
    return [param.detach().clone() for param in model.parameters()]


def _same(a: list, b: list, tol: float = 1e-6) -> bool:
    return all(torch.allclose(x, y, atol=tol, rtol=tol) for x, y in zip(a, b, strict=True))


def check_train_step(train_step):
    setups = [
        ("SGD(lr=0.1)", lambda p: torch.optim.SGD(p, lr=0.1), nn.MSELoss(), 0, 2),
        (
            "SGD(lr=0.05, momentum=0.9)",
            lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
            nn.L1Loss(),
            1,
            3,
        ),
        ("Adam(lr=0.01)", lambda p: torch.optim.Adam(p, lr=0.01), nn.MSELoss(), 2, 1),
    ]
    for name, make_optimizer, criterion, seed, d in setups:
        model, optimizer, batches = _make_setup(seed, d, make_optimizer, criterion)
        reference = _copy_with_grads(model)
        reference_opt = make_optimizer(reference.parameters())
        stale = _copy_with_grads(model)  # ошибка «забыли zero_grad»
        stale_opt = make_optimizer(stale.parameters())
        for number, (X, y) in enumerate(batches, start=1):
            before = _params(model)
            got = call(train_step, model, X, y, optimizer, criterion)
            expected = _reference_step(reference, X, y, reference_opt, criterion)
            _reference_step(stale, X, y, stale_opt, criterion, zero_grad=False)
            where = f"{name}, {type(criterion).__name__}, шаг №{number}"
            if isinstance(got, torch.Tensor):
                fail(
                    f"{where}: возвращён тензор, а нужно число Python — верните loss.item(): "
                    "тензор потерь держит на себе весь граф вычислений"
                )
            if isinstance(got, bool) or not isinstance(got, (float, int)):
                fail(f"{where}: ожидалось число float, получен {type(got).__name__}")
            after = _params(model)
            if _same(after, before, tol=0.0):
                fail(
                    f"{where}: параметры модели не изменились. Вызван ли optimizer.step() "
                    "и не обнулены ли градиенты уже после backward?"
                )
            if not _same(after, _params(reference)):
                if _same(after, _params(stale)):
                    fail(
                        f"{where}: шаг совпал с шагом без обнуления градиентов — старые .grad "
                        "прибавились к новым. Вызовите optimizer.zero_grad() перед backward()"
                    )
                fail(f"{where}: параметры после шага не совпадают с эталонным шагом")
            expect_close(got, expected, what=f"{where}: потери до шага", tol=1e-6)


def _reference_fit(X, y, lr, epochs, broadcast_bug=False):
    weight = torch.zeros(1, X.shape[1], requires_grad=True)
    bias = torch.zeros(1, requires_grad=True)
    target = y if broadcast_bug else y.unsqueeze(1)
    for _ in range(epochs):
        loss = ((X @ weight.T + bias - target) ** 2).mean()
        grad_w, grad_b = torch.autograd.grad(loss, [weight, bias])
        with torch.no_grad():
            weight -= lr * grad_w
            bias -= lr * grad_b
    return weight.detach(), bias.detach()


def check_fit_linear(fit_linear):
    X = torch.tensor([[0.0], [1.0], [2.0], [3.0]])
    y = torch.tensor([-1.0, 1.0, 3.0, 5.0])
    cases = [(X, y, 0.1, 3, "4 точки на прямой y = 2x − 1, lr=0.1, epochs=3")]
    for n, d, lr, epochs, seed in [
        (20, 1, 0.1, 1, 0),
        (15, 3, 0.05, 10, 1),
        (30, 2, 0.1, 200, 2),
        (10, 2, 0.1, 0, 3),
    ]:
        gen = torch.Generator().manual_seed(seed)
        Xr = torch.randn(n, d, generator=gen)
        yr = Xr @ torch.randn(d, generator=gen) - 0.7 + 0.1 * torch.randn(n, generator=gen)
        cases.append((Xr, yr, lr, epochs, f"N={n}, D={d}, lr={lr}, epochs={epochs}"))
    for X, y, lr, epochs, inputs in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # предупреждение MSELoss о формах: объясним сами
            model = call(fit_linear, X, y, lr, epochs)
        if not isinstance(model, nn.Linear):
            fail(f"ожидался обученный nn.Linear, получен {type(model).__name__}")
        d = X.shape[1]
        if (model.in_features, model.out_features) != (d, 1) or model.bias is None:
            fail(
                f"ожидался nn.Linear({d}, 1) со смещением, получен "
                f"nn.Linear({model.in_features}, {model.out_features}"
                f"{', bias=False' if model.bias is None else ''})"
            )
        weight, bias = _reference_fit(X, y, lr, epochs)
        if not (
            torch.allclose(model.weight.detach(), weight, atol=1e-5, rtol=1e-4)
            and torch.allclose(model.bias.detach(), bias, atol=1e-5, rtol=1e-4)
        ):
            bug_w, bug_b = _reference_fit(X, y, lr, epochs, broadcast_bug=True)
            if (
                epochs > 0
                and torch.allclose(model.weight.detach(), bug_w, atol=1e-5)
                and (torch.allclose(model.bias.detach(), bug_b, atol=1e-5))
            ):
                fail(
                    f"({inputs}) выход модели формы (N, 1) сравнивается с y формы (N,): "
                    "MSELoss растягивает их до (N, N) и считает не ту ошибку. "
                    "Приведите y к форме (N, 1)"
                )
        _compare_fit(model, X, y, weight, bias, lr, epochs, inputs)


def _what_is_compared(lr: float, epochs: int) -> str:
    return (
        f"Проверка повторяет ровно epochs={epochs} шагов обычного SGD (lr={lr}, без импульса) "
        "по всем точкам сразу, начиная с нулевых веса и смещения, и сравнивает веса после "
        "этих шагов"
    )


def _compare_fit(model, X, y, weight, bias, lr, epochs, inputs) -> None:
    """Сравнение с эталонным путём; при расхождении объясняем, с чем именно сравнивали."""
    got_w, got_b = model.weight.detach(), model.bias.detach()
    if got_w.shape == weight.shape and got_b.shape == bias.shape and epochs > 0:
        # Наилучшая прямая (к ней SGD идёт, но за epochs шагов не доходит).
        A = torch.cat([X, torch.ones(len(X), 1)], dim=1).double()
        best = torch.linalg.lstsq(A, y.double().unsqueeze(1)).solution[:, 0]
        mine = torch.cat([got_w.reshape(-1), got_b.reshape(-1)]).double()
        path = torch.cat([weight.reshape(-1), bias.reshape(-1)]).double()
        off_path = not torch.allclose(mine, path, atol=1e-5, rtol=1e-4)
        if off_path and (mine - best).norm() < 0.9 * (path - best).norm():
            fail(
                f"({inputs}) ваши вес и смещение ближе к наилучшей прямой, чем должны быть: "
                f"{[round(v, 4) for v in mine.tolist()]} вместо "
                f"{[round(v, 4) for v in path.tolist()]}. {_what_is_compared(lr, epochs)}; "
                "больше эпох, другой оптимизатор или импульс дают другой результат"
            )
    try:
        expect_tensor(model.weight, weight, what="вес", inputs=inputs, atol=1e-5)
        expect_tensor(model.bias, bias, what="смещение", inputs=inputs, atol=1e-5)
    except CheckFailure as exc:
        fail(
            f"{exc}\n    {_what_is_compared(lr, epochs)}. Проверьте три вещи: параметры "
            "обнулены перед обучением, оптимизатор — SGD без импульса, шагов ровно epochs"
        )
