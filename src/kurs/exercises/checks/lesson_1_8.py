"""Проверки упражнений урока 1.8 «Полносвязная сеть с Dropout»."""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from kurs.exercises.spec import call, expect_close, expect_tensor, fail


def _manual_forward(linears: list, x: torch.Tensor) -> torch.Tensor:
    """Сеть без Dropout, собранная из линейных слоёв ученика: Linear → ReLU → … → Linear."""
    h = x.flatten(start_dim=1)
    for layer in linears[:-1]:
        h = torch.relu(layer(h))
    return linears[-1](h)


def check_mlp(MLP):
    cases = [
        (64, [32, 16], 10, 0.5, (16, 1, 8, 8)),
        (5, [7], 3, 0.2, (9, 5)),
        (4, [], 2, 0.3, (6, 4)),
    ]
    cases.append((12, [20, 20, 8], 4, 0.0, (5, 3, 4)))
    for in_features, hidden, num_classes, p, x_shape in cases:
        where = f"MLP({in_features}, {hidden}, {num_classes}, p={p})"
        model = call(MLP, in_features, hidden, num_classes, p)
        if not isinstance(model, nn.Module):
            fail(f"{where}: MLP должен быть наследником nn.Module")
        linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
        sizes = [(m.in_features, m.out_features) for m in linears]
        widths = [in_features, *hidden, num_classes]
        expected_sizes = list(zip(widths[:-1], widths[1:], strict=True))
        if not linears:
            fail(
                f"{where}: в модели не найдено ни одного nn.Linear. Слои в обычном списке Python "
                "не регистрируются — соберите их в nn.Sequential или nn.ModuleList"
            )
        if sizes != expected_sizes:
            fail(
                f"{where}: линейные слои (входы, выходы) по порядку {sizes}, "
                f"ожидались {expected_sizes}"
            )
        dropouts = [m for m in model.modules() if isinstance(m, nn.Dropout)]
        if len(dropouts) != len(hidden):
            fail(
                f"{where}: слоёв nn.Dropout {len(dropouts)}, ожидалось {len(hidden)} — "
                "по одному после каждого скрытого слоя, после выходного не нужен"
            )
        wrong_p = [m.p for m in dropouts if m.p != p]
        if wrong_p:
            fail(f"{where}: у Dropout вероятность {wrong_p[0]}, ожидалась p={p}")
        n_params = sum(param.numel() for param in model.parameters())
        expected_params = sum(i * o + o for i, o in expected_sizes)
        if n_params != expected_params:
            fail(
                f"{where}: в модели {n_params} параметров, ожидалось {expected_params} "
                "(все слои зарегистрированы? нет ли лишних?)"
            )
        x = torch.randn(x_shape, generator=torch.Generator().manual_seed(len(hidden)))
        model.eval()
        first = call(model, x)
        inputs = f"{where}, вход {x_shape}"
        with torch.no_grad():
            expected = _manual_forward(linears, x)
        expect_tensor(
            first,
            expected,
            what="выход в режиме eval() (эталон: Linear → ReLU → … → Linear, в конце без активации)",
            inputs=inputs,
            atol=1e-5,
        )
        second = call(model, x)
        if not torch.equal(first, second):
            fail(f"{inputs}: в режиме eval() два прохода дали разные ответы — Dropout не выключен")
        model.train()
        train_a, train_b = call(model, x), call(model, x)
        _expect_form(train_a, expected, f"выход в режиме train() ({inputs})")
        if p > 0 and hidden and torch.equal(train_a, train_b):
            fail(f"{inputs}: в режиме train() два прохода совпали — Dropout не работает")
        if p == 0 and not torch.allclose(train_a, expected, atol=1e-5):
            fail(f"{inputs}: при p=0 выход в train() должен совпадать с выходом в eval()")


class _Spy(nn.Module):
    """Модель-шпион: запоминает, в каком режиме и с графом ли её вызывали."""

    def __init__(self, n_in: int, n_classes: int):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_in, 16), nn.ReLU(), nn.Dropout(0.5))
        self.out = nn.Linear(16, n_classes)
        self.calls: list[tuple[bool, bool, bool]] = []

    def forward(self, x):
        self.calls.append((self.training, self.body[2].training, torch.is_grad_enabled()))
        return self.out(self.body(x))


def _reference_accuracy(model, x, y) -> tuple[float, float]:
    """Точность по всем примерам и (ошибочное) среднее точностей батчей по 4."""
    with torch.no_grad():
        state = model.training
        model.eval()
        correct = model(x).argmax(dim=1) == y
        model.train(state)
    per_batch = [correct[i : i + 4].double().mean().item() for i in range(0, len(y), 4)]
    return correct.double().mean().item(), sum(per_batch) / len(per_batch)


def check_evaluate(evaluate):
    for n, n_in, n_classes, seed, start_training in [
        (10, 3, 4, 0, True),
        (13, 5, 2, 1, False),
        (22, 4, 3, 2, True),
    ]:
        gen = torch.Generator().manual_seed(seed)
        x = torch.randn(n, n_in, generator=gen)
        y = torch.randint(0, n_classes, (n,), generator=gen)
        model = _Spy(n_in, n_classes)
        model.train(start_training)
        expected, batch_mean = _reference_accuracy(model, x, y)
        model.calls.clear()
        loader = DataLoader(TensorDataset(x, y), batch_size=4)
        mode = "train()" if start_training else "eval()"
        where = f"{n} примеров батчами по 4, модель в режиме {mode}"
        got = call(evaluate, model, loader)
        if not model.calls:
            fail(f"({where}) модель ни разу не вызвана")
        if any(training or dropout_training for training, dropout_training, _ in model.calls):
            fail(
                f"({where}) модель вызвана в режиме обучения: Dropout случайно гасит нейроны. "
                "Переведите её в model.eval() перед оценкой"
            )
        if any(grad for *_, grad in model.calls):
            fail(
                f"({where}) во время оценки строился граф вычислений: оберните цикл "
                "в with torch.no_grad():"
            )
        if model.training != start_training or model.body[2].training != start_training:
            now = "train()" if model.training else "eval()"
            fail(f"({where}) после оценки модель осталась в режиме {now}; верните режим {mode}")
        if isinstance(got, torch.Tensor):
            fail(f"({where}) возвращён тензор, а нужно число Python: добавьте .item() или float()")
        if isinstance(got, bool) or not isinstance(got, (float, int)):
            fail(f"({where}) ожидалось число float, получен {type(got).__name__}")
        if abs(got - expected) > 1e-6 and abs(got - batch_mean) < 1e-9:
            fail(
                f"({where}) вы усреднили точности батчей: {got:.4f}, а доля верных по всем "
                f"примерам — {expected:.4f}. Последний батч меньше — считайте верные и всего"
            )
        expect_close(got, expected, what=f"точность ({where})", tol=1e-6)


def _expect_form(got, like: torch.Tensor, what: str) -> None:
    """Тип, форма и dtype без сравнения значений (для больших тензоров со случайной маской)."""
    if not isinstance(got, torch.Tensor):
        fail(f"{what}: ожидался torch.Tensor, получен {type(got).__name__}")
    if got.shape != like.shape:
        fail(f"{what}: ожидалась форма {tuple(like.shape)}, получена {tuple(got.shape)}")
    if got.dtype != like.dtype:
        fail(f"{what}: ожидался тип {like.dtype}, получен {got.dtype}")


def _dropout_stats(dropout, shape, p, seed, dtype=torch.float32):
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(shape, generator=gen, dtype=dtype) + 0.5  # без нулей: ноль = «выбыл»
    out = call(dropout, x, p, True, torch.Generator().manual_seed(seed + 1))
    what = f"dropout(x формы {tuple(shape)}, p={p}, training=True)"
    _expect_form(out, x, what)
    dropped = out == 0
    fraction = dropped.double().mean().item()
    if abs(fraction - p) > 0.01:
        fail(f"{what}: обнулена доля {fraction:.3f} элементов, ожидалось около {p}")
    expected = torch.where(dropped, torch.zeros_like(x), x / (1 - p))
    if ((out - expected).abs() > 1e-6 + 1e-5 * expected.abs()).any():
        survivors = out[~dropped][:3].tolist()
        originals = x[~dropped][:3].tolist()
        fail(
            f"{what}: выжившие элементы должны быть равны x / (1 − p) = x / {1 - p:g}. "
            f"Первые выжившие: x = {[round(v, 4) for v in originals]}, "
            f"у вас {[round(v, 4) for v in survivors]}"
        )


def check_dropout(dropout):
    x = torch.tensor([[1.0, -2.0, 3.0], [0.5, 0.0, -1.5]])
    gen = torch.Generator().manual_seed(0)
    expect_tensor(call(dropout, x, 0.5, False, gen), x, what="dropout(x, p=0.5, training=False)")
    expect_tensor(call(dropout, x, 0.0, True, gen), x, what="dropout(x, p=0, training=True)")
    got = call(dropout, x, 1.0, True, gen)
    if isinstance(got, torch.Tensor) and got.is_floating_point() and torch.isnan(got).any():
        fail("dropout(x, p=1, training=True): получены nan — при p=1 верните нули, не делите на 0")
    expect_tensor(got, torch.zeros_like(x), what="dropout(x, p=1, training=True)")
    _dropout_stats(dropout, (200, 250), 0.3, 0)
    _dropout_stats(dropout, (60_000,), 0.8, 1)
    _dropout_stats(dropout, (20, 25, 40), 0.1, 2, dtype=torch.float64)

    x = torch.randn(64, 64, generator=torch.Generator().manual_seed(3))
    a = call(dropout, x, 0.5, True, torch.Generator().manual_seed(7))
    torch.rand(10)  # сдвигаем глобальный генератор: ответ от него зависеть не должен
    b = call(dropout, x, 0.5, True, torch.Generator().manual_seed(7))
    c = call(dropout, x, 0.5, True, torch.Generator().manual_seed(8))
    if not torch.equal(a, b):
        fail(
            "два вызова с генераторами из одного зерна дали разные маски: берите случайность "
            "только из переданного generator (torch.rand(..., generator=generator))"
        )
    if torch.equal(a, c):
        fail("генераторы с разными зёрнами дали одинаковые маски — маска не случайна")

    leaf = torch.randn(5, 6, generator=torch.Generator().manual_seed(4)).requires_grad_(True)
    out = call(dropout, leaf, 0.25, True, torch.Generator().manual_seed(9))
    if not out.requires_grad:
        fail("результат отцеплен от графа: градиент не дойдёт до x (не используйте .detach())")
    out.sum().backward()
    kept = (out != 0).to(leaf.dtype)
    expect_tensor(leaf.grad, kept / 0.75, what="градиент по x (маска / (1 − p))", inputs="p=0.25")
