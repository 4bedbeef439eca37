"""Проверки упражнений урока 2.2 «Свёрточная сеть»."""

import math

import torch
import torch.nn.functional as F
from torch import nn

from kurs.exercises.spec import call, expect_tensor, fail


def check_conv_output_size(conv_output_size):
    cases = [
        (28, 3, 0, 1),
        (28, 3, 1, 1),
        (28, 5, 2, 1),
        (28, 3, 1, 2),
        (7, 3, 0, 2),
        (10, 4, 1, 3),
        (32, 7, 3, 2),
        (5, 5, 0, 1),
        (6, 2, 0, 2),
        (9, 1, 0, 4),
        (3, 5, 2, 1),
    ]
    for n, kernel_size, padding, stride in cases:
        inputs = f"n={n}, kernel_size={kernel_size}, padding={padding}, stride={stride}"
        # Эталон — настоящий слой, а не формула.
        layer = nn.Conv2d(1, 1, kernel_size, stride=stride, padding=padding)
        with torch.no_grad():
            expected = layer(torch.zeros(1, 1, n, n)).shape[-1]
        got = call(conv_output_size, n, kernel_size, padding, stride)
        if isinstance(got, bool) or not isinstance(got, int):
            fail(
                f"({inputs}) ожидалось целое число (int), получено {type(got).__name__} {got!r}; "
                "делите нацело: //"
            )
        if got == expected:
            continue
        top = n + 2 * padding - kernel_size
        hints = [
            (
                math.ceil(top / stride) + 1,
                "вы округлили вверх; окно, не поместившееся целиком, не считается — округляйте вниз (//)",
            ),
            (
                (n + padding - kernel_size) // stride + 1,
                "отступ добавляется с обеих сторон: 2·padding",
            ),
            (top // stride, "забыли + 1: окно стоит и в самом первом положении"),
            ((n - kernel_size) // stride + 1, "отступ (padding) не учтён"),
            (top + 1, "страйд не учтён: окно сдвигается на stride пикселей"),
        ]
        for wrong, message in hints:
            if got == wrong and wrong != expected:
                fail(f"({inputs}) ваш результат {got}, ожидалось {expected}: {message}")
        fail(f"({inputs}) ваш результат {got}, ожидалось {expected}")


def _conv_case(seed, n, c_in, c_out, height, width, kh, kw, with_bias):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n, c_in, height, width, generator=gen, dtype=torch.float64)
    weight = torch.randn(c_out, c_in, kh, kw, generator=gen, dtype=torch.float64)
    bias = torch.randn(c_out, generator=gen, dtype=torch.float64) if with_bias else None
    return x, weight, bias


def check_conv2d_unfold(conv2d_unfold):
    cases = [
        # seed, N, C_in, C_out, H, W, kh, kw, bias, stride, padding
        (0, 2, 1, 3, 6, 6, 3, 3, True, 1, 0),
        (1, 3, 2, 4, 5, 7, 3, 3, True, 1, 1),
        (2, 1, 3, 2, 8, 6, 3, 2, True, 2, 1),
        (3, 2, 2, 5, 7, 9, 5, 5, False, 2, 2),
        (4, 1, 1, 1, 4, 4, 1, 1, True, 1, 0),
    ]
    for seed, n, c_in, c_out, height, width, kh, kw, with_bias, stride, padding in cases:
        x, weight, bias = _conv_case(seed, n, c_in, c_out, height, width, kh, kw, with_bias)
        inputs = (
            f"x {tuple(x.shape)}, weight {tuple(weight.shape)}, "
            f"bias {'есть' if with_bias else 'None'}, stride={stride}, padding={padding}"
        )
        expected = F.conv2d(x, weight, bias, stride=stride, padding=padding)
        x_in = x.clone().requires_grad_(True)
        weight_in = weight.clone().requires_grad_(True)
        got = call(conv2d_unfold, x_in, weight_in, bias, stride=stride, padding=padding)
        if isinstance(got, torch.Tensor) and got.shape != expected.shape:
            if got.shape == expected.shape[:2] + expected.shape[2:][::-1]:
                fail(
                    f"({inputs}) форма {tuple(got.shape)}, ожидалась {tuple(expected.shape)}: "
                    "высота и ширина выхода перепутаны"
                )
        if isinstance(got, torch.Tensor) and got.shape == expected.shape and bias is not None:
            without_bias = expected - bias.view(1, -1, 1, 1)
            if torch.allclose(got.detach(), without_bias, atol=1e-6):
                fail(f"({inputs}) смещение (bias) не прибавлено к выходу")
        if (
            isinstance(got, torch.Tensor)
            and got.shape == expected.shape
            and got.dtype == expected.dtype
            and expected.shape[-1] == expected.shape[-2]
            and torch.allclose(got.detach().transpose(-1, -2), expected, atol=1e-6)
            and not torch.allclose(expected.transpose(-1, -2), expected, atol=1e-6)
        ):
            fail(f"({inputs}) выход транспонирован: строки и столбцы карты перепутаны местами")
        expect_tensor(got, expected, what="выход свёртки", inputs=inputs, atol=1e-6)
        # Градиенты — как у F.conv2d: свёртку собираются обучать.
        if not got.requires_grad:
            fail(
                f"({inputs}) выход не связан с графом вычислений: градиент не дойдёт до весов "
                "(уберите .detach(), .numpy() и torch.no_grad())"
            )
        upstream = torch.randn(
            expected.shape, generator=torch.Generator().manual_seed(seed + 50), dtype=torch.float64
        )
        got.backward(upstream)
        x_ref = x.clone().requires_grad_(True)
        weight_ref = weight.clone().requires_grad_(True)
        F.conv2d(x_ref, weight_ref, bias, stride=stride, padding=padding).backward(upstream)
        expect_tensor(
            weight_in.grad, weight_ref.grad, what="градиент по weight", inputs=inputs, atol=1e-6
        )
        expect_tensor(x_in.grad, x_ref.grad, what="градиент по x", inputs=inputs, atol=1e-6)


def _normalized(x, dims, unbiased, eps):
    """x̂ с заданными осями статистик — так выглядят частые ошибки."""
    mean = x.mean(dim=dims, keepdim=True)
    var = x.var(dim=dims, keepdim=True, unbiased=unbiased)
    return (x - mean) / torch.sqrt(var + eps)


def check_batch_norm_train(batch_norm_train):
    cases = [
        # seed, форма x, eps
        (0, (4, 3, 2, 3), 1e-5),
        (1, (2, 2, 5, 5), 1e-5),
        (2, (8, 1, 3, 2), 0.1),
        (3, (3, 4, 1, 1), 1e-3),
    ]
    for seed, shape, eps in cases:
        gen = torch.Generator().manual_seed(seed)
        scale = torch.rand(1, shape[1], 1, 1, generator=gen, dtype=torch.float64) * 3 + 0.5
        x = torch.randn(shape, generator=gen, dtype=torch.float64) * scale + 2.0
        gamma = torch.rand(shape[1], generator=gen, dtype=torch.float64) + 0.5
        beta = torch.randn(shape[1], generator=gen, dtype=torch.float64)
        inputs = f"x {tuple(shape)}, eps={eps:g}"
        expected = F.batch_norm(x, None, None, gamma, beta, training=True, eps=eps)
        x_in = x.clone().requires_grad_(True)
        got = call(batch_norm_train, x_in, gamma, beta, eps)
        if isinstance(got, torch.Tensor) and got.shape == expected.shape:
            values = got.detach()
            g, b = gamma.view(1, -1, 1, 1), beta.view(1, -1, 1, 1)

            diagnoses = [
                (
                    _normalized(x, (0, 2, 3), True, eps) * g + b,
                    "дисперсия посчитана с делением на n − 1 (как torch.var по умолчанию); "
                    "BatchNorm нормирует дисперсией с делением на n: unbiased=False",
                ),
                (
                    _normalized(x, (2, 3), False, eps) * g + b,
                    "среднее и дисперсия посчитаны для каждой картинки отдельно; BatchNorm "
                    "считает их по всему батчу и всем позициям: dim=(0, 2, 3)",
                ),
                (
                    _normalized(x, (0,), False, eps) * g + b,
                    "среднее и дисперсия посчитаны по батчу для каждого пикселя отдельно; "
                    "BatchNorm считает по одному числу на канал: dim=(0, 2, 3)",
                ),
                (
                    _normalized(x, (0, 2, 3), False, eps),
                    "γ (gamma) и β (beta) не применены: y = γ · x̂ + β",
                ),
            ]
            for candidate, message in diagnoses:
                if not torch.allclose(candidate, expected, atol=1e-6) and torch.allclose(
                    values, candidate, atol=1e-6
                ):
                    fail(f"({inputs}) {message}")
        expect_tensor(got, expected, what="выход BatchNorm", inputs=inputs, atol=1e-6)
        if not got.requires_grad:
            fail(f"({inputs}) выход не связан с графом вычислений: градиент по x не дойдёт")
        upstream = torch.randn(
            shape, generator=torch.Generator().manual_seed(seed + 50), dtype=torch.float64
        )
        got.backward(upstream)
        x_ref = x.clone().requires_grad_(True)
        F.batch_norm(x_ref, None, None, gamma, beta, training=True, eps=eps).backward(upstream)
        if x_in.grad is None or not torch.allclose(x_in.grad, x_ref.grad, atol=1e-6):
            fail(
                f"({inputs}) значения верны, а градиент по x — нет: среднее и дисперсия батча "
                "тоже зависят от x, и градиент должен пройти через них (не отрывайте их .detach())"
            )


def _epoch_setup(seed: int):
    """Маленькая сеть с BatchNorm (веса из своего генератора), данные и загрузчик без перемешивания."""
    from torch.utils.data import DataLoader, TensorDataset

    gen = torch.Generator().manual_seed(seed)
    model = nn.Sequential(
        nn.Flatten(), nn.Linear(12, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3)
    )
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(torch.rand(parameter.shape, generator=gen) - 0.5)
    X = torch.randn(23, 3, 4, generator=gen)  # 23 примера: последний батч из 3
    y = torch.randint(0, 3, (23,), generator=gen)
    loader = DataLoader(TensorDataset(X, y), batch_size=5, shuffle=False)
    return model, loader


def _reference_epoch(model, loader, *, train=True, zero_grad=True, weighted=True):
    """Эпоха обучения; флаги воспроизводят частые ошибки, чтобы назвать их по имени."""
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model.train(train)
    total, count, batch_means = 0.0, 0, []
    for X, y in loader:
        loss = criterion(model(X), y)
        if zero_grad:
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(X)
        count += len(X)
        batch_means.append(loss.item())
    return total / count if weighted else sum(batch_means) / len(batch_means)


def _state(model):
    return {name: value.detach().clone() for name, value in model.state_dict().items()}


def _same_state(a, b) -> bool:
    return all(torch.allclose(a[key].double(), b[key].double(), atol=1e-6) for key in a)


def check_train_epoch(train_epoch):
    for seed in (0, 1):
        inputs = f"сеть с BatchNorm1d, 23 примера, батчи по 5, SGD с импульсом, зерно {seed}"
        model, loader = _epoch_setup(seed)
        model.eval()  # ученик сам должен включить режим обучения
        criterion = nn.CrossEntropyLoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        got = call(train_epoch, model, loader, criterion, optimizer, torch.device("cpu"))

        outcomes = {}
        for name, flags in {
            "верно": {},
            "eval": {"train": False},
            "без zero_grad": {"zero_grad": False},
            "среднее батчей": {"weighted": False},
        }.items():
            reference, _ = _epoch_setup(seed)
            loss = _reference_epoch(reference, loader, **flags)
            outcomes[name] = (loss, _state(reference), reference.training)
        loss, state, _ = outcomes["верно"]
        got_state = _state(model)
        if not _same_state(got_state, state):
            if _same_state(got_state, outcomes["eval"][1]):
                fail(
                    f"({inputs}) веса обновились так, будто сеть всю эпоху была в режиме eval(): "
                    "BatchNorm брал скользящие средние вместо статистик батча. Вызовите model.train()"
                )
            if _same_state(got_state, outcomes["без zero_grad"][1]):
                fail(
                    f"({inputs}) градиенты копились от батча к батчу: перед loss.backward() "
                    "обнулите их — optimizer.zero_grad()"
                )
            untouched, _ = _epoch_setup(seed)
            names = dict(untouched.named_parameters())  # только веса, без буферов BatchNorm
            weights = {name: value for name, value in got_state.items() if name in names}
            if _same_state(weights, _state(untouched)):
                fail(
                    f"({inputs}) веса модели не изменились: нужен optimizer.step() на каждом батче"
                )
            fail(
                f"({inputs}) веса после эпохи не совпадают с эталоном: на каждом батче — прямой "
                "проход, функция потерь, zero_grad, backward, step, по батчам по порядку"
            )
        if isinstance(got, torch.Tensor):
            if got.numel() != 1:
                fail(f"({inputs}) верните одно число, а получен тензор формы {tuple(got.shape)}")
            got = got.item()
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            fail(
                f"({inputs}) верните среднюю потерю числом (float), а получен {type(got).__name__}"
            )
        unweighted = outcomes["среднее батчей"][0]
        if abs(got - loss) > 1e-5 and abs(got - unweighted) < 1e-6:
            fail(
                f"({inputs}) ваш результат {got:.6f}, ожидалось {loss:.6f}: вы усреднили средние "
                "батчей, а последний батч неполный (3 примера из 5). Умножайте потерю батча на "
                "его размер и делите сумму на число примеров"
            )
        if abs(got - loss) > 1e-5:
            fail(
                f"({inputs}) средняя потеря за эпоху: ваш результат {got:.6f}, ожидалось {loss:.6f} "
                "(потери батчей до шага оптимизатора, среднее по всем примерам)"
            )
