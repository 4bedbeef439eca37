"""Проверки упражнений урока 1.9 «Сохранение и загрузка»."""

import contextlib
import pickle
import re
import tempfile
from pathlib import Path

import torch
from torch import nn

from kurs.exercises.spec import call, fail

# Рецепт маленького обучения, одинаковый для эталона и для решения ученика.
LOSS = nn.MSELoss()


def _make_model(seed: int, sizes=(3, 8, 2)) -> nn.Module:
    """Маленькая сеть, начальные веса которой задаёт только seed (глобальный генератор не нужен)."""
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=False):
        layers += [nn.Linear(n_in, n_out), nn.Tanh()]
    model = nn.Sequential(*layers[:-1])
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for param in model.parameters():
            param.copy_(0.5 * torch.randn(param.shape, generator=gen))
    return model


def _batch(seed: int, model: nn.Module):
    first = next(layer for layer in model if isinstance(layer, nn.Linear))
    last = [layer for layer in model if isinstance(layer, nn.Linear)][-1]
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(6, first.in_features, generator=gen)
    y = torch.randn(6, last.out_features, generator=gen)
    return x, y


def _step(model: nn.Module, optimizer, seed: int) -> None:
    x, y = _batch(seed, model)
    optimizer.zero_grad()
    LOSS(model(x), y).backward()
    optimizer.step()


def _optimizer(kind: str, model: nn.Module):
    if kind == "Adam":
        return torch.optim.Adam(model.parameters(), lr=0.05)
    return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)


def _state_copy(model: nn.Module) -> dict:
    return {key: value.detach().clone() for key, value in model.state_dict().items()}


def _difference(got, expected, where: str) -> str | None:
    """Где два состояния (словари, списки, тензоры, числа) различаются; None — совпали."""
    if isinstance(expected, torch.Tensor):
        if not isinstance(got, torch.Tensor):
            return f"{where}: ожидался тензор, лежит {type(got).__name__}"
        if got.shape != expected.shape or not torch.equal(got.cpu(), expected.cpu()):
            return f"{where}: тензор не совпадает с исходным"
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"{where}: ожидался словарь, лежит {type(got).__name__}"
        if set(got) != set(expected):
            return f"{where}: ключи {sorted(map(str, got))}, ожидались {sorted(map(str, expected))}"
        for key in expected:
            found = _difference(got[key], expected[key], f"{where}[{key!r}]")
            if found:
                return found
        return None
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            return f"{where}: список другой длины или типа"
        for number, (g, e) in enumerate(zip(got, expected, strict=True)):
            found = _difference(g, e, f"{where}[{number}]")
            if found:
                return found
        return None
    if got != expected:
        return f"{where}: {got!r}, ожидалось {expected!r}"
    return None


def _read_checkpoint(path: Path) -> dict:
    if not path.is_file():
        fail(f"после вызова файла {path.name} нет: сохраните чекпойнт через torch.save")
    try:
        checkpoint = torch.load(path, weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, AttributeError, TypeError) as exc:
        blocked = re.search(r"GLOBAL ([\w.]+)", str(exc))
        inside = f" (загрузчик наткнулся на {blocked.group(1)})" if blocked else ""
        fail(
            "файл не открывается через torch.load(path, weights_only=True) — внутри не только "
            f"тензоры и простые типы{inside}. Сохраняйте model.state_dict() и "
            "optimizer.state_dict(), а не сами объекты"
        )
    if not isinstance(checkpoint, dict):
        fail(f"в файле должен лежать словарь, а лежит {type(checkpoint).__name__}")
    keys = set(checkpoint)
    if keys != {"model", "optimizer", "epoch"}:
        fail(
            f"ключи словаря в файле: {sorted(map(str, keys))}; "
            "ожидались ровно 'epoch', 'model', 'optimizer'"
        )
    return checkpoint


def check_save_checkpoint(save_checkpoint):
    cases = [("Adam", 3, 0, str), ("SGD", 7, 1, Path), ("Adam", 0, 2, Path)]
    with tempfile.TemporaryDirectory() as tmp:
        for number, (kind, epoch, seed, path_type) in enumerate(cases):
            model = _make_model(seed, (3 + seed, 5, 2))
            optimizer = _optimizer(kind, model)
            for step in range(epoch):
                _step(model, optimizer, 100 + step)
            before = _state_copy(model)
            path = Path(tmp) / f"checkpoint_{number}.pt"
            result = call(save_checkpoint, path_type(path), model, optimizer, epoch)
            if result is not None:
                fail(f"функция должна ничего не возвращать, а вернула {type(result).__name__}")
            if _difference(model.state_dict(), before, "model"):
                fail("веса модели изменились при сохранении; save_checkpoint не должна их трогать")
            checkpoint = _read_checkpoint(path)
            inputs = f"{kind}, эпоха {epoch}"
            saved_epoch = checkpoint["epoch"]
            if isinstance(saved_epoch, bool) or not isinstance(saved_epoch, int):
                fail(
                    f"«epoch» ({inputs}): ожидалось целое число int, лежит "
                    f"{type(saved_epoch).__name__}"
                )
            if saved_epoch != epoch:
                fail(f"«epoch» ({inputs}): в файле {saved_epoch}, ожидалось {epoch}")
            found = _difference(checkpoint["model"], model.state_dict(), "checkpoint['model']")
            if found:
                fail(f"{found} ({inputs}); там должен быть model.state_dict()")
            found = _difference(
                checkpoint["optimizer"], optimizer.state_dict(), "checkpoint['optimizer']"
            )
            if found:
                fail(f"{found} ({inputs}); там должен быть optimizer.state_dict()")


@contextlib.contextmanager
def _spy_torch_load(calls: list):
    original = torch.load

    def spy(*args, **kwargs):
        calls.append(kwargs.get("weights_only", "не указан"))
        return original(*args, **kwargs)

    torch.load = spy
    try:
        yield
    finally:
        torch.load = original


def check_load_checkpoint(load_checkpoint):
    cases = [("Adam", 4, 0), ("SGD", 2, 1), ("Adam", 9, 2)]
    with tempfile.TemporaryDirectory() as tmp:
        for number, (kind, epoch, seed) in enumerate(cases):
            sizes = (2 + seed, 6, 3)
            trained = _make_model(seed, sizes)
            trained_opt = _optimizer(kind, trained)
            for step in range(epoch):
                _step(trained, trained_opt, 200 + step)
            path = Path(tmp) / f"checkpoint_{number}.pt"
            torch.save(
                {
                    "model": trained.state_dict(),
                    "optimizer": trained_opt.state_dict(),
                    "epoch": epoch,
                },
                path,
            )
            fresh = _make_model(seed + 50, sizes)  # другие начальные веса
            fresh_opt = _optimizer(kind, fresh)
            inputs = f"{kind}, в файле epoch={epoch}"
            calls: list = []
            with _spy_torch_load(calls):
                got = call(load_checkpoint, path, fresh, fresh_opt)
            if False in calls:
                fail("файл открыт с weights_only=False; по условию читайте с weights_only=True")
            if isinstance(got, torch.Tensor) or isinstance(got, bool) or not isinstance(got, int):
                fail(f"ожидалось целое число эпох (int), получен {type(got).__name__}")
            if got != epoch:
                fail(f"возвращено {got} эпох, а в чекпойнте записано {epoch} ({inputs})")
            if _difference(fresh.state_dict(), trained.state_dict(), "model"):
                fail(
                    f"веса переданной модели не равны сохранённым ({inputs}): загрузите их "
                    "в неё саму через model.load_state_dict(...), новую модель не создавайте"
                )
            _step(trained, trained_opt, 999)
            _step(fresh, fresh_opt, 999)
            if _difference(fresh.state_dict(), trained.state_dict(), "model"):
                fail(
                    f"веса загружены, но следующий шаг обучения отличается от шага без перерыва "
                    f"({inputs}): не восстановлено состояние оптимизатора "
                    "(optimizer.load_state_dict)"
                )


class _TwoPartNet(nn.Module):
    def __init__(self, n_in: int, hidden: int, n_classes: int):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU())
        self.head = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.head(self.features(x))


class _ScaledNet(nn.Module):
    """Параметр тела лежит прямо в модели, а не в подмодуле: заморозить надо и его."""

    def __init__(self, n_in: int, hidden: int, n_classes: int):
        super().__init__()
        self.embed = nn.Linear(n_in, hidden)
        self.scale = nn.Parameter(torch.ones(hidden))
        self.head = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.head(torch.relu(self.embed(x)) * self.scale)


def check_freeze_and_replace_head(freeze_and_replace_head):
    cases = [
        (_TwoPartNet, 4, 8, 3, 5, 0),
        (_ScaledNet, 5, 6, 10, 2, 1),
        (_TwoPartNet, 3, 7, 2, 2, 2),
    ]
    for net_class, n_in, hidden, old_classes, new_classes, seed in cases:
        model = net_class(n_in, hidden, old_classes)
        gen = torch.Generator().manual_seed(300 + seed)  # веса — не от глобального генератора
        with torch.no_grad():
            for param in model.parameters():
                param.copy_(0.5 * torch.randn(param.shape, generator=gen))
        old_head = model.head
        inputs = f"голова {hidden}→{old_classes}, нужно {new_classes} классов"
        got = call(freeze_and_replace_head, model, new_classes)
        if got is not model:
            fail(
                "верните ту же модель, что пришла на вход (return model), "
                f"а не {'None' if got is None else 'другой объект'}"
            )
        head = model.head
        if not isinstance(head, nn.Linear):
            fail(f"model.head должен быть nn.Linear, а это {type(head).__name__}")
        if head is old_head:
            fail("model.head — всё ещё старый слой; создайте новый nn.Linear и присвойте его")
        if (head.in_features, head.out_features) != (hidden, new_classes):
            fail(
                f"новая голова ({inputs}): ожидался nn.Linear({hidden}, {new_classes}), "
                f"получен nn.Linear({head.in_features}, {head.out_features})"
            )
        if head.bias is None:
            fail("у новой головы нет смещения (bias); по условию оно нужно")
        trainable_body = [
            name
            for name, param in model.named_parameters()
            if not name.startswith("head.") and param.requires_grad
        ]
        if trainable_body:
            fail(f"параметры тела не заморожены: {', '.join(trainable_body)} (requires_grad=True)")
        frozen_head = [n for n, p in head.named_parameters() if not p.requires_grad]
        if frozen_head:
            fail(
                f"параметры новой головы заморожены: {', '.join('head.' + n for n in frozen_head)}"
                "; голова должна обучаться (может быть, вы заморозили модель уже после замены?)"
            )
        body_before = {
            name: param.detach().clone()
            for name, param in model.named_parameters()
            if not name.startswith("head.")
        }
        head_before = head.weight.detach().clone()
        x = torch.randn(7, n_in, generator=torch.Generator().manual_seed(seed))
        out = model(x)
        if out.shape != (7, new_classes):
            fail(
                f"выход модели ({inputs}): ожидалась форма (7, {new_classes}), получена {tuple(out.shape)}"
            )
        optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
        optimizer.zero_grad()
        (out**2).mean().backward()
        optimizer.step()
        for name, before in body_before.items():
            if not torch.equal(dict(model.named_parameters())[name].detach(), before):
                fail(f"после шага оптимизатора изменился параметр тела {name}: он не заморожен")
        if torch.equal(head.weight.detach(), head_before):
            fail("после шага оптимизатора веса головы не изменились: голова не обучается")


class _Crash(Exception):
    """Имитация сбоя посреди эпохи."""


def _make_trainer(log: list, crash_at: int | None = None):
    def train_one_epoch(model, optimizer, epoch):
        if not isinstance(epoch, int):
            fail(f"номер эпохи передан как {type(epoch).__name__}, ожидался int")
        log.append(epoch)
        for batch in range(2):
            _step(model, optimizer, 1000 * epoch + batch)
            if epoch == crash_at:
                raise _Crash

    return train_one_epoch


def _compare_final(model, reference, situation: str) -> None:
    if _difference(model.state_dict(), reference, "model"):
        fail(
            f"{situation}: итоговые веса не совпали с обучением без перерыва. Восстановлены ли "
            "и модель, и оптимизатор (его моменты тоже влияют на шаги)?"
        )


def _expect_epochs(got: list, expected: list, situation: str) -> None:
    if got != expected:
        fail(f"{situation}: ожидались эпохи {expected}, ваша функция провела {got}")


def check_train_with_checkpoints(train_with_checkpoints):
    total = 6
    for kind, stop, seed in [("Adam", 2, 0), ("SGD", 4, 1)]:
        reference_model = _make_model(seed)
        reference_opt = _optimizer(kind, reference_model)
        trainer = _make_trainer([])
        for epoch in range(total):
            trainer(reference_model, reference_opt, epoch)
        reference = _state_copy(reference_model)

        def launch(path, model_seed, num_epochs, crash_at=None, kind=kind):
            """Один запуск функции ученика на свежих модели и оптимизаторе."""
            log: list = []
            model = _make_model(model_seed)
            trainer = _make_trainer(log, crash_at=crash_at)
            with contextlib.suppress(_Crash):
                call(
                    train_with_checkpoints,
                    model,
                    _optimizer(kind, model),
                    trainer,
                    num_epochs,
                    path,
                )
            return log, model

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "run.pt"
            # Запуск 1: файла нет, обучаем stop эпох («потом процесс остановили»).
            log, _ = launch(path, seed, stop)
            first = f"первый запуск ({kind}, файла ещё нет, num_epochs={stop})"
            _expect_epochs(log, list(range(stop)), first)
            checkpoint = _read_checkpoint(path)
            if checkpoint["epoch"] != stop:
                fail(f"{first}: в чекпойнте epoch={checkpoint['epoch']!r}, а пройдено эпох: {stop}")

            # Запуск 2: новые модель и оптимизатор с другими весами, тот же файл.
            log, model = launch(path, seed + 100, total)
            second = f"перезапуск ({kind}, в файле epoch={stop}, num_epochs={total})"
            _expect_epochs(log, list(range(stop, total)), second)
            _compare_final(model, reference, second)

            # Запуск 3: всё уже обучено — эпох быть не должно, веса берутся из файла.
            log, model = launch(path, seed + 200, total)
            third = f"повторный запуск после завершения ({kind}, в файле epoch={total})"
            _expect_epochs(log, [], third)
            _compare_final(model, reference, third)

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "run.pt"
            # Сбой посреди эпохи stop: чекпойнт должен хранить stop завершённых эпох.
            launch(path, seed, total, crash_at=stop)
            log, model = launch(path, seed + 300, total)
            crashed = f"перезапуск после сбоя посреди эпохи {stop} ({kind})"
            _expect_epochs(log, list(range(stop, total)), crashed)
            _compare_final(model, reference, crashed)
