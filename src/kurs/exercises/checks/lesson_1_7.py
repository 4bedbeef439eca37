"""Проверки упражнений урока 1.7 «Логистическая регрессия»."""

import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from kurs.exercises.spec import call, expect_close, expect_tensor, fail


def check_accuracy(accuracy):
    logits = torch.tensor([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]])
    targets = torch.tensor([0, 0, 0])
    cases = [(logits, targets, "logits [[2, 1], [0, 3], [1, 0]], targets [0, 0, 0]")]
    for n, c, flip, seed, dtype in [
        (10, 3, 0.3, 0, torch.float32),
        (57, 10, 0.1, 1, torch.float32),
        (8, 2, 0.5, 2, torch.float64),
        (200, 5, 0.0, 3, torch.float32),
    ]:
        gen = torch.Generator().manual_seed(seed)
        targets = torch.randint(0, c, (n,), generator=gen)
        logits = torch.randn(n, c, generator=gen, dtype=dtype)
        logits[torch.arange(n), targets] += 4.0  # правильный класс обычно выигрывает…
        wrong = torch.rand(n, generator=gen) < flip
        logits[wrong, targets[wrong]] -= 10.0  # …кроме этих примеров
        cases.append((logits, targets, f"N={n}, C={c}, {dtype}, зерно {seed}"))
    for logits, targets, inputs in cases:
        got = call(accuracy, logits, targets)
        if isinstance(got, torch.Tensor):
            fail(f"({inputs}) возвращён тензор, а нужно число Python: добавьте .item()")
        if isinstance(got, bool) or not isinstance(got, (float, int)):
            fail(f"({inputs}) ожидалось число float, получен {type(got).__name__}")
        expected = (logits.argmax(dim=1) == targets).double().mean().item()
        expect_close(got, expected, what=f"доля верных ответов ({inputs})", tol=1e-6)


def _standardize(train, test, correction=1, test_own_stats=False, zero_guard=True):
    mean, std = train.mean(dim=0), train.std(dim=0, correction=correction)
    if zero_guard:
        std = torch.where(std == 0, torch.ones_like(std), std)
    if test_own_stats:
        test_mean, test_std = test.mean(dim=0), test.std(dim=0, correction=correction)
        test_std = torch.where(test_std == 0, torch.ones_like(test_std), test_std)
        return (train - mean) / std, (test - test_mean) / test_std
    return (train - mean) / std, (test - mean) / std


def _close(got, expected) -> bool:
    return (
        isinstance(got, torch.Tensor)
        and got.shape == expected.shape
        and torch.allclose(got.double(), expected.double(), atol=1e-5, rtol=1e-4)
    )


def check_standardize(standardize):
    train = torch.tensor([[1.0, 10.0], [3.0, 10.0], [5.0, 10.0]])
    test = torch.tensor([[3.0, 10.0], [7.0, 0.0]])
    cases = [(train, test, "train [[1, 10], [3, 10], [5, 10]], test [[3, 10], [7, 0]]")]
    for n, m, d, seed, dtype in [
        (20, 5, 3, 0, torch.float32),
        (7, 11, 1, 1, torch.float64),
        (50, 4, 6, 2, torch.float32),
    ]:
        gen = torch.Generator().manual_seed(seed)
        train = 3.0 + 2.0 * torch.randn(n, d, generator=gen, dtype=dtype)
        test = -1.0 + 5.0 * torch.randn(m, d, generator=gen, dtype=dtype)  # другое распределение
        if d > 1:
            train[:, 0] = 0.0  # постоянный признак, как пиксель в углу картинки
        cases.append(
            (train, test, f"train {tuple(train.shape)}, test {tuple(test.shape)}, {dtype}")
        )
    for train, test, inputs in cases:
        got = call(standardize, train, test)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            fail(f"ожидалась пара (train_std, test_std), получен {type(got).__name__}")
        got_train, got_test = got
        for name, tensor in (("train_std", got_train), ("test_std", got_test)):
            if isinstance(tensor, torch.Tensor) and tensor.is_floating_point():
                if not torch.isfinite(tensor).all():
                    fail(
                        f"({inputs}) в {name} есть nan или inf: в столбце с нулевым std "
                        "делите на 1, а не на 0"
                    )
        expected_train, expected_test = _standardize(train, test)
        if _close(got_train, expected_train) and not _close(got_test, expected_test):
            if _close(got_test, _standardize(train, test, test_own_stats=True)[1]):
                fail(
                    f"({inputs}) test стандартизован по своим собственным среднему и std. "
                    "Используйте статистики train: тестовых данных при обучении ещё нет"
                )
        population = _standardize(train, test, correction=0)
        if _close(got_train, population[0]) and not _close(got_train, expected_train):
            fail(
                f"({inputs}) std посчитано делением на N; по условию нужно как в "
                "train.std(dim=0), то есть делением на N − 1"
            )
        expect_tensor(got_train, expected_train, what="train_std", inputs=inputs)
        expect_tensor(got_test, expected_test, what="test_std", inputs=inputs)


def check_softmax(softmax):
    logits = torch.tensor([1.0, 2.0, 3.0])
    expect_tensor(
        call(softmax, logits, -1), torch.softmax(logits, -1), what="softmax", inputs="[1, 2, 3]"
    )
    huge = torch.tensor([[1000.0, 999.0, 0.0], [-1000.0, -1000.0, -1000.0]])
    got = call(softmax, huge, 1)
    if isinstance(got, torch.Tensor) and got.is_floating_point() and not torch.isfinite(got).all():
        fail(
            "на логитах [[1000, 999, 0], [-1000, -1000, -1000]] получились nan или inf: "
            "exp(1000) переполняется до inf, а exp(−1000) округляется до 0, и выходит 0/0. "
            "Перед exp вычтите максимум вдоль dim — у каждой строки свой, а не один на весь тензор"
        )
    expect_tensor(got, torch.softmax(huge, 1), what="softmax", inputs="логиты ±1000, dim=1")
    for shape, dim, scale, seed, dtype in [
        ((5,), 0, 1.0, 0, torch.float32),
        ((3, 4), 0, 1.0, 1, torch.float32),
        ((2, 3, 4), 1, 3.0, 2, torch.float64),
        ((2, 3, 4), -1, 1.0, 3, torch.float32),
        ((4, 6), -1, 800.0, 4, torch.float32),
        ((3, 1), 1, 1.0, 5, torch.float32),
    ]:
        gen = torch.Generator().manual_seed(seed)
        logits = scale * torch.randn(shape, generator=gen, dtype=dtype)
        got = call(softmax, logits, dim)
        inputs = f"форма {shape}, dim={dim}, {dtype}, логиты порядка {scale:g}"
        expect_tensor(got, torch.softmax(logits, dim), what="softmax", inputs=inputs, atol=1e-6)


# ---------------------------------------------------------------- 1.7.4 эпоха по батчам


class _Recorder(nn.Module):
    """Маленький классификатор, который запоминает, в каком режиме его вызывали."""

    def __init__(self, n_in: int, n_classes: int, seed: int):
        super().__init__()
        self.hidden = nn.Linear(n_in, 8)
        self.out = nn.Linear(8, n_classes)
        gen = torch.Generator().manual_seed(seed)  # веса — не от глобального генератора
        with torch.no_grad():
            for param in self.parameters():
                param.copy_(0.5 * torch.randn(param.shape, generator=gen))
        self.modes: list[bool] = []

    def forward(self, x):
        self.modes.append(self.training)
        return self.out(torch.tanh(self.hidden(x)))


def _reference_epoch(model, batches, criterion, optimizer, *, zero_grad=True) -> list:
    """Эпоха по эталону; zero_grad=False — типичная ошибка с накоплением градиентов."""
    losses = []
    for x, y in batches:
        loss = criterion(model(x), y)
        if zero_grad:
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append((loss.item(), len(y)))
    return losses


def _params(model) -> list:
    return [param.detach().clone() for param in model.parameters()]


def _same(a: list, b: list, tol: float = 1e-6) -> bool:
    return all(torch.allclose(x, y, atol=tol, rtol=tol) for x, y in zip(a, b, strict=True))


def _explain_loss(got: float, losses: list, where: str) -> None:
    """Ошибочные способы усреднить потерю за эпоху: называем тот, что совпал."""
    count = sum(size for _, size in losses)
    expected = sum(loss * size for loss, size in losses) / count
    if abs(got - expected) <= 1e-5 * max(1.0, abs(expected)):
        return
    sizes = [size for _, size in losses]
    wrong = [
        (
            sum(loss for loss, _ in losses) / len(losses),
            f"вы усреднили потери батчей: {got:.5f}, а средняя по всем примерам — "
            f"{expected:.5f}. Батчи разного размера ({sizes}), и в простом среднем примеры "
            "последнего, меньшего батча весят больше. Складывайте loss.item() · (размер "
            "батча) и делите сумму на число примеров",
        ),
        (
            losses[-1][0],
            f"возвращена потеря последнего батча ({got:.5f}), а нужна средняя за всю эпоху "
            f"({expected:.5f})",
        ),
        (
            expected * count,
            "возвращена сумма потерь по примерам; поделите её на число примеров эпохи",
        ),
        (
            sum(loss for loss, _ in losses),
            "возвращена сумма потерь батчей; нужна средняя по примерам: "
            "Σ loss.item() · (размер батча) / (число примеров)",
        ),
    ]
    for value, message in wrong:
        if abs(got - value) <= 1e-5 * max(1.0, abs(value)):
            fail(f"({where}) {message}")
    expect_close(got, expected, what=f"средняя потеря за эпоху ({where})", tol=1e-5)


def check_train_epoch(train_epoch):
    criterion = nn.CrossEntropyLoss()
    setups = [
        ("SGD(lr=0.5)", lambda p: torch.optim.SGD(p, lr=0.5), 10, 3, 4, 4, True, 0),
        (
            "SGD(lr=0.1, momentum=0.9)",
            lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
            13,
            5,
            3,
            5,
            False,
            1,
        ),
        ("Adam(lr=0.05)", lambda p: torch.optim.Adam(p, lr=0.05), 22, 4, 2, 8, True, 2),
    ]
    for name, make_optimizer, n, d, c, batch_size, start_training, seed in setups:
        gen = torch.Generator().manual_seed(seed)
        x = torch.randn(n, d, generator=gen)
        y = torch.randint(0, c, (n,), generator=gen)
        loader = DataLoader(TensorDataset(x, y), batch_size=batch_size)
        batches = [(x[i : i + batch_size], y[i : i + batch_size]) for i in range(0, n, batch_size)]
        model = _Recorder(d, c, seed)
        reference, stale = copy.deepcopy(model), copy.deepcopy(model)
        optimizer = make_optimizer(model.parameters())
        reference_opt = make_optimizer(reference.parameters())
        stale_opt = make_optimizer(stale.parameters())
        steps = []
        optimizer.register_step_post_hook(lambda *_, steps=steps: steps.append(1))
        mode = "train()" if start_training else "eval()"
        for epoch in (1, 2):
            where = (
                f"{name}, {n} примеров батчами по {batch_size}, модель в режиме {mode}, "
                f"эпоха {epoch}"
            )
            model.train(start_training)
            model.modes.clear()
            steps.clear()
            before = _params(model)
            got = call(train_epoch, model, loader, criterion, optimizer)
            losses = _reference_epoch(reference, batches, criterion, reference_opt)
            _reference_epoch(stale, batches, criterion, stale_opt, zero_grad=False)
            if not model.modes:
                fail(f"({where}) модель ни разу не вызвана")
            if not all(model.modes):
                fail(
                    f"({where}) модель обучалась в режиме eval(). Вызовите model.train() в "
                    "начале эпохи: в режиме eval() Dropout выключен, а BatchNorm не обновляет "
                    "свои статистики"
                )
            if isinstance(got, torch.Tensor):
                fail(
                    f"({where}) возвращён тензор, а нужно число Python. Копите loss.item(): "
                    "тензор потерь держит на себе граф вычислений"
                )
            if isinstance(got, bool) or not isinstance(got, (float, int)):
                fail(f"({where}) ожидалось число float, получен {type(got).__name__}")
            after = _params(model)
            if _same(after, before, tol=0.0):
                fail(
                    f"({where}) параметры модели не изменились. Вызван ли optimizer.step() "
                    "и не обнулены ли градиенты уже после backward?"
                )
            if not _same(after, _params(reference)):
                if _same(after, _params(stale)):
                    fail(
                        f"({where}) градиенты копятся от батча к батчу: параметры совпали с "
                        "обучением без обнуления. Вызывайте optimizer.zero_grad() перед "
                        "каждым backward()"
                    )
                if len(steps) != len(batches):
                    fail(
                        f"({where}) за эпоху сделано шагов оптимизатора: {len(steps)}, а "
                        f"батчей {len(batches)}. optimizer.step() нужен после каждого батча"
                    )
                fail(f"({where}) параметры после эпохи не совпадают с эталонной эпохой")
            _explain_loss(got, losses, where)
