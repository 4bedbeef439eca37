"""Проверки упражнений урока 1.8 «Полносвязная сеть с Dropout»."""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from kurs.exercises.spec import call, expect_close, expect_tensor, fail


def _manual_forward(linears: list, x: torch.Tensor) -> torch.Tensor:
    """Сеть без Dropout из линейных слоёв ученика в порядке вызова: Linear → ReLU → … → Linear."""
    h = x.flatten(start_dim=1)
    for layer in linears[:-1]:
        h = torch.relu(layer(h))
    return linears[-1](h)


def _linear_calls(model: nn.Module, x: torch.Tensor):
    """Выход модели и её вызовы nn.Linear по порядку: (слой, вход, выход).

    Порядок берётся из того, как модель считает, а не из того, в каком порядке слои
    созданы в __init__: проверяется поведение, а не устройство класса.
    """
    calls: list[tuple[nn.Linear, torch.Tensor, torch.Tensor]] = []

    def hook(module, args, output):
        # clone: ReLU(inplace=True) после слоя не должна менять то, что мы запомнили.
        calls.append((module, args[0].detach().clone(), output.detach().clone()))

    handles = [
        module.register_forward_hook(hook)
        for module in model.modules()
        if isinstance(module, nn.Linear)
    ]
    try:
        out = call(model, x)
    finally:
        for handle in handles:
            handle.remove()
    return out, calls


def _check_train_mode(model, where: str, in_features: int, hidden: list, num_classes: int, p):
    """Что Dropout делает в режиме train(): где появляются нули и как масштабируются выжившие."""
    # Большой батч: долю обнулённых можно сравнить с p, не полагаясь на везение.
    x = torch.rand(400, in_features, generator=torch.Generator().manual_seed(11)) + 0.1
    model.train()
    out, calls = _linear_calls(model, x)
    _expect_form(out, torch.empty(400, num_classes), f"{where}: выход в режиме train()")
    if len(calls) != len(hidden) + 1:
        fail(
            f"{where}: в режиме train() вызвано линейных слоёв: {len(calls)}, "
            f"а в режиме eval() — {len(hidden) + 1}"
        )
    first_input = calls[0][1]
    if not torch.equal(first_input, x):
        if ((first_input == 0) & (x != 0)).any():
            fail(
                f"{where}: в режиме train() обнулена часть входных признаков (пикселей) — "
                "Dropout стоит перед первым линейным слоем. По условию Dropout идёт после "
                "ReLU каждого скрытого слоя, а вход сети не трогает"
            )
        fail(f"{where}: в режиме train() первый линейный слой получил не сам вход x")
    for number in range(1, len(calls)):
        activation = torch.relu(calls[number - 1][2])
        got = calls[number][1]
        layer = f"после скрытого слоя №{number}"
        positive = activation > 0
        if (got[~positive] != 0).any():
            fail(
                f"{where}: в режиме train() {layer} проходят отрицательные значения — "
                "нет ReLU между линейными слоями"
            )
        if p == 0:
            if not torch.allclose(got, activation, atol=1e-6, rtol=1e-5):
                fail(f"{where}: при p=0 Dropout ничего не меняет, а {layer} значения изменились")
            continue
        dropped = (got == 0) & positive
        if not dropped.any():
            fail(
                f"{where}: в режиме train() {layer} ничего не обнулено — "
                "после его ReLU нужен Dropout(p)"
            )
        kept = positive & ~dropped
        scaled = activation / (1 - p)
        if not torch.allclose(got[kept], scaled[kept], atol=1e-5, rtol=1e-4):
            fail(
                f"{where}: в режиме train() {layer} выжившие значения должны быть "
                f"ReLU(…) / (1 − p) = ReLU(…) / {1 - p:g}, а они другие "
                "(Dropout применён дважды или с другим p?)"
            )
        share = (dropped.sum() / positive.sum()).item()
        if abs(share - p) > 0.05:
            fail(
                f"{where}: в режиме train() {layer} обнулено {100 * share:.0f} % значений, "
                f"а Dropout(p={p:g}) обнуляет около {100 * p:.0f} %"
            )
    if not torch.allclose(out, calls[-1][2], atol=1e-6, rtol=1e-5):
        fail(
            f"{where}: в режиме train() выход сети отличается от выхода последнего линейного "
            "слоя. После выходного слоя не нужны ни активация, ни Dropout: сеть выдаёт логиты"
        )
    if p > 0 and hidden and torch.equal(out, call(model, x)):
        fail(f"{where}: в режиме train() два прохода совпали — маска Dropout не случайна")


def check_mlp(MLP):
    cases = [
        (64, [32, 16], 10, 0.5, (16, 1, 8, 8)),
        (5, [7], 3, 0.2, (9, 5)),
        (4, [], 2, 0.3, (6, 4)),
        (12, [20, 20, 8], 4, 0.0, (5, 3, 4)),
    ]
    for in_features, hidden, num_classes, p, x_shape in cases:
        where = f"MLP({in_features}, {hidden}, {num_classes}, p={p})"
        model = call(MLP, in_features, hidden, num_classes, p)
        if not isinstance(model, nn.Module):
            fail(f"{where}: MLP должен быть наследником nn.Module")
        if not any(isinstance(m, nn.Linear) for m in model.modules()):
            fail(
                f"{where}: в модели не найдено ни одного nn.Linear. Слои в обычном списке Python "
                "не регистрируются — соберите их в nn.Sequential или nn.ModuleList"
            )
        x = torch.randn(x_shape, generator=torch.Generator().manual_seed(len(hidden)))
        inputs = f"{where}, вход {x_shape}"
        model.eval()
        first, calls = _linear_calls(model, x)
        linears = [layer for layer, _, _ in calls]
        sizes = [(m.in_features, m.out_features) for m in linears]
        widths = [in_features, *hidden, num_classes]
        expected_sizes = list(zip(widths[:-1], widths[1:], strict=True))
        if sizes != expected_sizes:
            fail(
                f"{inputs}: линейные слои в порядке вызова (входы, выходы) {sizes}, "
                f"ожидались {expected_sizes}"
            )
        n_params = sum(param.numel() for param in model.parameters())
        expected_params = sum(i * o + o for i, o in expected_sizes)
        if n_params != expected_params:
            fail(
                f"{where}: в модели {n_params} параметров, ожидалось {expected_params} "
                "(все слои зарегистрированы? нет ли лишних?)"
            )
        with torch.no_grad():
            expected = _manual_forward(linears, x)
        expect_tensor(
            first,
            expected,
            what="выход в режиме eval() (эталон: Linear → ReLU → … → Linear, в конце без активации)",
            inputs=inputs,
            atol=1e-5,
        )
        if not torch.equal(first, call(model, x)):
            fail(f"{inputs}: в режиме eval() два прохода дали разные ответы — Dropout не выключен")
        _check_train_mode(model, where, in_features, hidden, num_classes, p)


class _Spy(nn.Module):
    """Модель-шпион: запоминает, в каком режиме и с графом ли её вызывали."""

    def __init__(self, n_in: int, n_classes: int, seed: int):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_in, 16), nn.ReLU(), nn.Dropout(0.5))
        self.out = nn.Linear(16, n_classes)
        # Веса — из своего генератора: вердикт не зависит от глобального.
        gen = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for param in self.parameters():
                param.copy_(torch.randn(param.shape, generator=gen))
        self.calls: list[tuple[bool, bool, bool]] = []

    def forward(self, x):
        self.calls.append((self.training, self.body[2].training, torch.is_grad_enabled()))
        return self.out(self.body(x))


def _reference_accuracy(model, x, y) -> tuple[float, float]:
    """Доля верных ответов по всем примерам и (ошибочное) её среднее по батчам из 4."""
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
        model = _Spy(n_in, n_classes, seed)
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
                f"({where}) вы усреднили доли верных ответов по батчам: {got:.4f}, а по всем "
                f"примерам она равна {expected:.4f}. Последний батч меньше остальных, и в "
                "среднем по батчам его примеры весят больше. Считайте по всем батчам число "
                "верных ответов и число примеров, а в конце поделите одно на другое"
            )
        expect_close(got, expected, what=f"доля верных ответов ({where})", tol=1e-6)


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
        fail(
            f"{what}: обнулено {100 * fraction:.1f} % элементов, "
            f"а при p={p:g} должно быть около {100 * p:.0f} %"
        )
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


# ---------------------------------------------------------------- 1.8.4 ранняя остановка


def _expected_run(losses: list, max_epochs: int, patience: int) -> tuple[int, int]:
    """(сколько эпох провести, номер лучшей) по правилам упражнения."""
    best, best_epoch, bad = float("inf"), -1, 0
    for epoch in range(max_epochs):
        if losses[epoch] < best:
            best, best_epoch, bad = losses[epoch], epoch, 0
        else:
            bad += 1
            if bad >= patience:
                return epoch + 1, best_epoch
    return max_epochs, best_epoch


def _epochs(n: int) -> str:
    """«1 эпоха», «3 эпохи», «5 эпох»."""
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} эпоха"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} эпохи"
    return f"{n} эпох"


def _state(model: nn.Module) -> list:
    return [param.detach().clone() for param in model.parameters()]


def _which_epoch(model: nn.Module, snapshots: list) -> int | None:
    """После какой эпохи (считая с 0) у модели такие веса; -1 — начальные; None — ни после какой."""
    now = _state(model)
    for trained, snapshot in enumerate(snapshots):
        if all(torch.equal(a, b) for a, b in zip(now, snapshot, strict=True)):
            return trained - 1
    return None


def check_early_stopping(early_stopping):
    cases = [
        ([1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9, 0.65, 0.6, 0.5], 10, 3, 0),
        ([0.6, 0.7, 0.55, 0.8, 0.9, 0.5, 0.4], 7, 2, 1),
        ([0.5, 0.5, 0.5, 0.4, 0.3], 5, 2, 2),
        ([0.9, 0.7, 0.6, 0.5, 0.45], 5, 2, 3),
        ([0.9, 0.95, 0.5, 0.4], 4, 1, 4),
    ]
    for losses, max_epochs, patience, seed in cases:
        gen = torch.Generator().manual_seed(seed)
        model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
        with torch.no_grad():
            for param in model.parameters():
                param.copy_(torch.randn(param.shape, generator=gen))
        # «Обучение» эпохи k — свой сдвиг всех весов на месте, как у настоящего оптимизатора.
        shifts = [
            [0.1 * torch.randn(param.shape, generator=gen) for param in model.parameters()]
            for _ in range(max_epochs)
        ]
        snapshots = [_state(model)]
        for shift in shifts:
            snapshots.append([w + s for w, s in zip(snapshots[-1], shift, strict=True)])
        trained: list[int] = []

        def train_one_epoch(m, model=model, shifts=shifts, trained=trained):
            if m is not model:
                fail("train_one_epoch получила не ту модель, что пришла в early_stopping")
            if len(trained) >= len(shifts):
                fail(f"проведено больше эпох, чем max_epochs = {len(shifts)}")
            with torch.no_grad():
                for param, shift in zip(model.parameters(), shifts[len(trained)], strict=True):
                    param.add_(shift)
            trained.append(len(trained))

        def validation_loss(m, snapshots=snapshots, losses=losses):
            # Потеря — по весам, которые сейчас в модели: честно и при любом порядке вызовов.
            epoch = _which_epoch(m, snapshots)
            return 10.0 if epoch is None or epoch < 0 else losses[epoch]

        where = f"потери на валидационной части по эпохам {losses}, patience={patience}"
        got = call(early_stopping, model, train_one_epoch, validation_loss, max_epochs, patience)
        expected_count, best = _expected_run(losses, max_epochs, patience)
        count = len(trained)
        if count != expected_count:
            tie = " (равная потеря — не улучшение)" if len(set(losses)) < len(losses) else ""
            if count == max_epochs:
                detail = "обучение не остановилось и прошло все эпохи"
            elif count == expected_count + 1:
                detail = "остановка на эпоху позже нужного — нет ли ошибки на единицу в счётчике?"
            elif count == expected_count - 1:
                detail = (
                    "остановка на эпоху раньше нужного — обнуляется ли счётчик эпох без "
                    "улучшения, когда потеря улучшилась?"
                )
            else:
                detail = "остановка не там"
            fail(
                f"({where}) лучшая эпоха — {best}, и обучение должно остановиться, когда "
                f"{_epochs(patience)} подряд пройдут без улучшения{tie}: всего эпох "
                f"{expected_count}, а ваша функция провела {count}: {detail}"
            )
        if isinstance(got, torch.Tensor) or isinstance(got, bool) or not isinstance(got, int):
            fail(f"({where}) ожидался номер эпохи (int), получен {type(got).__name__}")
        if got != best:
            fail(
                f"({where}) возвращена эпоха {got}, а лучшая — {best} с потерей {losses[best]}. "
                "Эпохи нумеруются с 0"
            )
        holds = _which_epoch(model, snapshots)
        if holds == best:
            continue
        if holds == count - 1:
            fail(
                f"({where}) в модели остались веса последней эпохи ({holds}), а нужны веса "
                f"лучшей ({best}). Сохраните копию весов в момент улучшения — "
                "copy.deepcopy(model.state_dict()): сам state_dict() ссылается на те же "
                "тензоры, что продолжают учиться, — и в конце загрузите её: "
                "model.load_state_dict(...)"
            )
        if holds is None:
            fail(f"({where}) веса модели не совпадают с весами ни одной эпохи")
        if holds == -1:
            fail(
                f"({where}) в модели начальные веса, как до обучения, а нужны веса лучшей "
                f"эпохи ({best}): обновляйте сохранённую копию при каждом улучшении"
            )
        fail(f"({where}) в модели веса эпохи {holds}, а нужны веса лучшей эпохи {best}")
