"""Проверки упражнений урока 3.5 «TensorBoard».

Проверки пишут журналы настоящим SummaryWriter во временную папку и читают их читателем
самой TensorBoard: смотрим, что оказалось в файлах событий, а не какие методы вызваны.
"""

import copy
import math
import tempfile
from pathlib import Path

import torch
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from torch import nn
from torch.utils.tensorboard import SummaryWriter

from kurs.exercises.spec import call, fail

KEEP_ALL = {"scalars": 0, "histograms": 0}


def _read(logdir: Path) -> EventAccumulator:
    accumulator = EventAccumulator(str(logdir), size_guidance=KEEP_ALL)
    accumulator.Reload()
    return accumulator


def _f32(value: float) -> float:
    """Число так, как его хранит файл событий (float32)."""
    return torch.tensor(value, dtype=torch.float32).item()


# ---------------------------------------------------------------- 3.5.1 read_scalars


def _write_run(folder: Path) -> dict[str, list[tuple[int, float]]]:
    """Журнал из двух файлов событий: длинная кривая, короткая кривая и картинка."""
    long_curve = [(step, _f32(1.0 / (1 + 0.01 * step))) for step in range(0, 24_000, 2)]
    short_curve = [(step, _f32(0.5 + 0.1 * k)) for k, step in enumerate((100, 200, 300, 400))]
    with SummaryWriter(log_dir=str(folder)) as writer:
        for step, value in long_curve:
            writer.add_scalar("loss/train", value, step)
        for step, value in short_curve[:2]:
            writer.add_scalar("accuracy/test", value, step)
        writer.add_image("examples", torch.zeros(1, 4, 4), 0)
    # Второй SummaryWriter в ту же папку — второй файл событий; читать нужно оба.
    with SummaryWriter(log_dir=str(folder)) as writer:
        for step, value in short_curve[2:]:
            writer.add_scalar("accuracy/test", value, step)
    return {"loss/train": long_curve, "accuracy/test": short_curve}


def _expect_points(got, expected, where: str) -> None:
    if not isinstance(got, list):
        fail(f"({where}) ожидался список, получен {type(got).__name__}")
    for item in got[:3]:
        if not (isinstance(item, tuple) and len(item) == 2):
            fail(
                f"({where}) элементы списка должны быть парами (шаг, значение), "
                f"а у вас — {type(item).__name__}. У события из accumulator.Scalars(tag) "
                "нужные числа — event.step и event.value"
            )
        step, value = item
        if isinstance(step, bool) or not isinstance(step, int):
            fail(f"({where}) шаг должен быть int, получен {type(step).__name__}")
        if isinstance(value, bool) or not isinstance(value, float):
            fail(f"({where}) значение должно быть float, получено {type(value).__name__}")
    if len(got) != len(expected):
        hint = ""
        if len(got) == 10_000:
            hint = (
                ". EventAccumulator по умолчанию хранит не больше 10 000 чисел на тег и "
                'остальные выбрасывает; size_guidance={"scalars": 0} велит хранить все'
            )
        fail(f"({where}) прочитано точек: {len(got)}, а в журнале их {len(expected)}{hint}")
    got_steps = [step for step, _ in got]
    if got_steps != sorted(got_steps):
        fail(f"({where}) точки должны идти по возрастанию шага")
    for (step, value), (expected_step, expected_value) in zip(got, expected, strict=True):
        if step != expected_step or not math.isclose(value, expected_value, abs_tol=1e-7):
            fail(
                f"({where}) точка расходится с журналом: ваша ({step}, {value}), "
                f"ожидалась ({expected_step}, {expected_value})"
            )


def check_read_scalars(read_scalars):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "run"
        curves = _write_run(folder)
        for tag, expected in curves.items():
            where = f"тег «{tag}»"
            if tag == "accuracy/test":
                where += ", точки записаны двумя SummaryWriter в два файла событий"
            _expect_points(call(read_scalars, folder, tag), expected, where)
        got = call(read_scalars, str(folder), "accuracy/test")
        _expect_points(got, curves["accuracy/test"], "папка передана строкой, а не Path")
        try:
            missing = call(read_scalars, folder, "loss/test")
        except KeyError as exc:
            fail(
                f"(тега «loss/test» в журнале нет) ваша функция выбросила KeyError: {exc}. "
                "Для отсутствующего тега верните пустой список; какие теги есть, скажет "
                'accumulator.Tags()["scalars"]'
            )
        if missing != []:
            fail(f"(тега «loss/test» в журнале нет) ожидался пустой список, получено {missing!r}")


# ---------------------------------------------------------------- 3.5.2 train_epoch_logged


def _tiny_model(seed: int) -> nn.Module:
    gen = torch.Generator().manual_seed(seed)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=gen) * 0.5)
    return model


def _reference_epoch(model, batches, criterion, optimizer, step, log_every):
    model.train()
    logged = []
    for x, y in batches:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1
        if step % log_every == 0:
            logged.append((step, _f32(loss.item())))
    return step, logged


def check_train_epoch_logged(train_epoch_logged):
    criterion = nn.CrossEntropyLoss()
    setups = [(10, 3, 0, 0), (7, 2, 5, 1), (5, 5, 3, 2)]
    for num_batches, log_every, start, seed in setups:
        gen = torch.Generator().manual_seed(100 + seed)
        batches = [
            (torch.randn(4, 3, generator=gen), torch.randint(0, 2, (4,), generator=gen))
            for _ in range(num_batches)
        ]
        model = _tiny_model(seed)
        reference = copy.deepcopy(model)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.3)
        reference_opt = torch.optim.SGD(reference.parameters(), lr=0.3)
        where = f"{num_batches} батчей за эпоху, log_every={log_every}, начальный шаг {start}"
        expected_logged = []
        step = expected_step = start
        with tempfile.TemporaryDirectory() as tmp:
            with SummaryWriter(log_dir=tmp) as writer:
                for epoch in (1, 2):
                    model.eval()  # как после оценки: эпоха сама включает train()
                    got = call(
                        train_epoch_logged,
                        model,
                        batches,
                        criterion,
                        optimizer,
                        writer,
                        step,
                        log_every,
                    )
                    expected_step, logged = _reference_epoch(
                        reference, batches, criterion, reference_opt, expected_step, log_every
                    )
                    expected_logged += logged
                    if isinstance(got, bool) or not isinstance(got, int):
                        fail(
                            f"({where}, эпоха {epoch}) верните номер шага (int) после эпохи, "
                            f"получен {type(got).__name__}"
                        )
                    if got != expected_step:
                        fail(
                            f"({where}, эпоха {epoch}) вы вернули шаг {got}, ожидался "
                            f"{expected_step}: шаг растёт на 1 после каждого optimizer.step() "
                            "и продолжается от эпохи к эпохе"
                        )
                    step = got
            accumulator = _read(Path(tmp))
            tags = accumulator.Tags()["scalars"]
            if tags != ["loss/train"]:
                fail(f"({where}) в журнале теги {tags}, ожидался один тег ['loss/train']")
            events = accumulator.Scalars("loss/train")
        got_steps = [event.step for event in events]
        expected_steps = [s for s, _ in expected_logged]
        if got_steps != expected_steps:
            if len(got_steps) == 2 * num_batches:
                fail(
                    f"({where}) в журнале {len(got_steps)} точек — по одной на каждый батч; "
                    f"пишите потерю раз в log_every шагов, на шагах {expected_steps}"
                )
            if [s + 1 for s in got_steps] == expected_steps:
                fail(
                    f"({where}) шаги на кривой на 1 меньше нужных {expected_steps}: увеличьте "
                    "шаг сразу после optimizer.step() и только потом решайте, писать ли точку"
                )
            fail(f"({where}) точки записаны на шагах {got_steps}, ожидались {expected_steps}")
        for event, (s, value) in zip(events, expected_logged, strict=True):
            if not math.isclose(event.value, value, rel_tol=1e-5, abs_tol=1e-6):
                fail(
                    f"({where}) на шаге {s} записана потеря {event.value:.6g}, а у эталонного "
                    f"обучения {value:.6g}: записывайте loss.item() батча этого шага, а перед "
                    "каждым backward() обнуляйте градиенты"
                )
        for (name, got_p), ref_p in zip(
            model.named_parameters(), reference.parameters(), strict=True
        ):
            if not torch.allclose(got_p, ref_p, atol=1e-5):
                fail(f"({where}) после двух эпох параметр {name} не совпал с эталонным обучением")


# ---------------------------------------------------------------- 3.5.3 log_parameters


class _TwoHeads(nn.Module):
    """Сеть, у части параметров которой после backward нет градиента."""

    def __init__(self, seed: int):
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        self.body = nn.Linear(5, 6)
        self.head = nn.Linear(6, 3)
        self.unused = nn.Linear(6, 2)  # в forward не участвует: .grad останется None
        self.frozen = nn.Parameter(torch.ones(3), requires_grad=False)
        with torch.no_grad():
            for parameter in self.parameters():
                parameter.copy_(torch.randn(parameter.shape, generator=gen))

    def forward(self, x):
        return self.head(torch.relu(self.body(x))) * self.frozen


class _Writer(SummaryWriter):
    """Настоящий SummaryWriter, который по-русски объясняет гистограмму из None."""

    def add_histogram(self, tag, values, *args, **kwargs):
        if values is None:
            fail(
                f"writer.add_histogram(«{tag}», None): вместо тензора передан None. У "
                "замороженных параметров (requires_grad=False) и у тех, что не участвовали "
                "в backward, parameter.grad — None; их градиент пропустите"
            )
        return super().add_histogram(tag, values, *args, **kwargs)


def _expected_histograms(model: nn.Module) -> dict[str, torch.Tensor]:
    expected = {}
    for name, parameter in model.named_parameters():
        expected[name] = parameter.detach()
        if parameter.grad is not None:
            expected[f"{name}.grad"] = parameter.grad.detach()
    return expected


def check_log_parameters(log_parameters):
    for seed, step in ((0, 7), (1, 0)):
        model = _TwoHeads(seed)
        x = torch.randn(4, 5, generator=torch.Generator().manual_seed(10 + seed))
        model(x).pow(2).mean().backward()
        expected = _expected_histograms(model)
        where = f"сеть с параметрами {[name for name, _ in model.named_parameters()]}, шаг {step}"
        with tempfile.TemporaryDirectory() as tmp:
            with _Writer(log_dir=tmp) as writer:
                call(log_parameters, writer, model, step)
            accumulator = _read(Path(tmp))
        tags = sorted(accumulator.Tags()["histograms"])
        if tags != sorted(expected):
            missing = sorted(set(expected) - set(tags))
            extra = sorted(set(tags) - set(expected))
            message = f"({where}) в журнале гистограммы {tags}, ожидались {sorted(expected)}"
            if any(tag.endswith(".grad") for tag in missing):
                message += ". Для каждого параметра с градиентом нужна ещё гистограмма «<имя>.grad»"
            if any(tag.startswith("unused") and tag.endswith(".grad") for tag in extra):
                message += ". У параметров, не участвовавших в forward, .grad — None: их пропустите"
            fail(message)
        for tag, values in expected.items():
            events = accumulator.Histograms(tag)
            if len(events) != 1 or events[0].step != step:
                fail(
                    f"({where}) гистограмма «{tag}» записана на шагах "
                    f"{[event.step for event in events]}, ожидался один шаг {step}"
                )
            histogram = events[0].histogram_value
            flat = values.double().flatten()
            same = (
                histogram.num == flat.numel()
                and math.isclose(histogram.min, flat.min().item(), abs_tol=1e-6)
                and math.isclose(histogram.max, flat.max().item(), abs_tol=1e-6)
                and math.isclose(histogram.sum, flat.sum().item(), abs_tol=1e-4)
            )
            if not same:
                what = "градиента" if tag.endswith(".grad") else "параметра"
                fail(
                    f"({where}) гистограмма «{tag}» описывает не значения этого {what}: "
                    f"в ней {int(histogram.num)} чисел от {histogram.min:.4g} до "
                    f"{histogram.max:.4g}, а у {what} {flat.numel()} чисел от "
                    f"{flat.min().item():.4g} до {flat.max().item():.4g}"
                )
