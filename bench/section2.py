"""Бенчмарк раздела 2: сети уроков против эталонных сетей исходного курса на тех же данных.

Запуск:
    .venv/bin/python bench/section2.py [--repeat 3] [--device cpu] [--dataset mnist]
    .venv/bin/python bench/section2.py --dataset fashion-mnist --repeat 1   # полный набор
    .venv/bin/python bench/section2.py --only cnn reference-cnn             # отдельные строки

Печатает таблицу: сеть, доля верных ответов на тестовой части (медиана и мин–макс по
повторам), время обучения (медиана), цель. Строки уроков запускают сам урок
(``run_lesson``, как ``kurs run``) и берут числа из его переменных; эталонные сети
обучаются здесь же, на тех же тензорах того же разбиения. Эталон повторяется с зёрнами
0, 1, …; урок задаёт зерно сам, поэтому его доля верных ответов от повтора к повтору
не меняется (на CPU), а меняется только время. Это замер, а не тест.

Как добавить строку: напишите функцию ``row_…(context, repeat) -> Result`` и допишите
``Row(...)`` в список ``ROWS`` (ключ для --only, название, функция, наборы данных, цель).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Result:
    accuracy: float  # доля верных ответов на тестовой части
    train_seconds: float  # только обучение (без импорта, данных и рисунков)
    lesson_seconds: float | None = None  # весь урок в прогретом интерпретаторе


@dataclass
class Context:
    dataset: str
    device: str
    data: str | None
    out_root: Path
    augment: str = "none"  # аугментация ResNet: flip, flip-shift или none
    width: int = 32  # каналов первой стадии ResNet (как RESNET_WIDTH ниже)
    _lesson_runs: dict = field(default_factory=dict)
    _tensors: dict = field(default_factory=dict)

    def lesson(self, number: str, repeat: int):
        """Урок в полном режиме (один запуск на повтор; его делят строки одного урока)."""
        key = (number, repeat)
        if key not in self._lesson_runs:
            from kurs.catalog import find_lesson
            from kurs.runner import run_lesson

            with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
                self._lesson_runs[key] = run_lesson(
                    find_lesson(number),
                    device=self.device,
                    out_root=self.out_root,
                    dataset=self.dataset,
                    data=self.data,
                )
        return self._lesson_runs[key]

    def tensors(self, normalize: bool):
        """Обучающая и тестовая части набора тензорами — то же разбиение, что у уроков."""
        if normalize not in self._tensors:
            import torch
            from torch.utils.data import DataLoader
            from torchvision.transforms import v2

            from kurs.data import DATASET_INFO, dataset_class, prepare

            info = DATASET_INFO[self.dataset]
            steps = [v2.ToImage(), v2.ToDtype(torch.float32, scale=True)]
            if normalize:
                steps.append(v2.Normalize(info.mean, info.std))
            with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
                root = prepare(self.dataset, self.data)
            Dataset = dataset_class(self.dataset)
            parts = []
            for train in (True, False):
                dataset = Dataset(root, train=train, download=False, transform=v2.Compose(steps))
                parts.extend(next(iter(DataLoader(dataset, batch_size=len(dataset)))))
            self._tensors[normalize] = tuple(parts)
        return self._tensors[normalize]


@dataclass
class Row:
    key: str  # для --only
    title: str
    run: Callable[[Context, int], Result]
    datasets: tuple[str, ...]
    targets: dict[str, float]  # набор → цель по доле верных ответов


# %% Строки: уроки


def row_lesson_cnn(context: Context, repeat: int) -> Result:
    run = context.lesson("2.2", repeat)
    ns = run.namespace
    return Result(ns["test_accuracy"], ns["cnn_seconds"], run.seconds)


def row_lesson_mlp(context: Context, repeat: int) -> Result:
    run = context.lesson("2.2", repeat)  # MLP урока 2.1, обученный в уроке 2.2 на том же разбиении
    ns = run.namespace
    return Result(ns["mlp_accuracy"], ns["mlp_seconds"], None)


def row_lesson_rnn(context: Context, repeat: int) -> Result:
    run = context.lesson("2.4", repeat)
    ns = run.namespace
    return Result(ns["test_accuracy"], ns["train_seconds"], run.seconds)


# %% Строки: эталонные сети исходного курса (написаны заново по их описанию)


def reference_cnn(channels: int, size: int, num_classes: int):
    """Две свёртки 5×5 (16 и 32 канала) с BatchNorm, ReLU и MaxPool, затем линейный слой."""
    from torch import nn

    return nn.Sequential(
        nn.Conv2d(channels, 16, kernel_size=5, stride=1, padding=2),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        nn.MaxPool2d(kernel_size=2, stride=2),
        nn.Conv2d(16, 32, kernel_size=5, stride=1, padding=2),
        nn.BatchNorm2d(32),
        nn.ReLU(),
        nn.MaxPool2d(kernel_size=2, stride=2),
        nn.Flatten(),
        nn.Linear((size // 4) * (size // 4) * 32, num_classes),
    )


def train_reference(context, model, X_train, y_train, X_test, y_test, *, lr, batch_size, epochs):
    """Adam, перекрёстная энтропия, без расписания и аугментаций — как в исходном курсе."""
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    device = torch.device(context.device)
    model = model.to(device)
    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=batch_size, shuffle=True)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            loss = criterion(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    model.eval()
    correct = 0
    with torch.no_grad():
        for begin in range(0, len(X_test), 1000):
            X = X_test[begin : begin + 1000].to(device)
            y = y_test[begin : begin + 1000].to(device)
            correct += (model(X).argmax(dim=1) == y).sum().item()
    return Result(correct / len(X_test), seconds)


def row_reference_cnn(context: Context, repeat: int) -> Result:
    import torch

    from kurs.data import DATASET_INFO

    info = DATASET_INFO[context.dataset]
    # Исходный курс подаёт картинки после ToTensor, без Normalize.
    X_train, y_train, X_test, y_test = context.tensors(normalize=False)
    torch.manual_seed(repeat)
    model = reference_cnn(info.channels, info.size, len(info.classes))
    return train_reference(
        context, model, X_train, y_train, X_test, y_test, lr=0.001, batch_size=100, epochs=5
    )


def reference_lstm(row_size: int, num_classes: int):
    """Двухслойная LSTM (скрытый размер 128) читает картинку по строкам; ответ — по последней."""
    from torch import nn

    class RowsLSTM(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(row_size, 128, num_layers=2, batch_first=True)
            self.fc = nn.Linear(128, num_classes)

        def forward(self, images):
            output, _ = self.lstm(images.permute(0, 2, 1, 3).flatten(2))  # (B, H, C·W)
            return self.fc(output[:, -1])

    return RowsLSTM()


def row_reference_lstm(context: Context, repeat: int) -> Result:
    import torch

    from kurs.data import DATASET_INFO

    info = DATASET_INFO[context.dataset]
    X_train, y_train, X_test, y_test = context.tensors(normalize=False)  # только ToTensor
    torch.manual_seed(repeat)
    model = reference_lstm(info.channels * info.size, len(info.classes))
    return train_reference(
        context, model, X_train, y_train, X_test, y_test, lr=0.01, batch_size=100, epochs=2
    )


# Каналов первой стадии (--resnet-width): при 32 эпоха на одном ядре CPU — ~5 мин, при 24 — ~3.
RESNET_WIDTH = 32


def bench_resnet(channels: int, num_classes: int, width: int = RESNET_WIDTH):
    """ResNet из блоков урока 2.3 для картинок 28×28: ствол 3×3, стадии w-2w-4w по блоку.

    Блок torchvision (``BasicBlock``) — тот самый, что урок 2.3 пишет руками и сверяет
    с ним по выходам.
    """
    from torch import nn
    from torchvision.models.resnet import BasicBlock

    def stage(in_channels, out_channels, stride):
        downsample = None
        if stride != 1 or in_channels != out_channels:
            downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )
        return BasicBlock(in_channels, out_channels, stride, downsample)

    return nn.Sequential(
        nn.Conv2d(channels, width, 3, padding=1, bias=False),
        nn.BatchNorm2d(width),
        nn.ReLU(),
        stage(width, width, 1),
        stage(width, 2 * width, 2),
        stage(2 * width, 4 * width, 2),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(4 * width, num_classes),
    )


def row_resnet(context: Context, repeat: int) -> Result:
    """ResNet на полном наборе: SGD с импульсом, OneCycle; аугментация — по --resnet-augment."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    from kurs.data import DATASET_INFO

    info = DATASET_INFO[context.dataset]
    X_train, y_train, X_test, y_test = context.tensors(normalize=True)
    device = torch.device(context.device)
    torch.manual_seed(repeat)
    model = bench_resnet(info.channels, len(info.classes), context.width).to(device)
    epochs, batch_size = 8, 128
    steps = epochs * ((len(X_train) + batch_size - 1) // batch_size)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=steps)
    criterion = nn.CrossEntropyLoss()
    X_train, y_train = X_train.to(device), y_train.to(device)
    background = X_train.min().item()
    start = time.perf_counter()
    for epoch in range(epochs):
        model.train()
        epoch_loss = 0.0
        order = torch.randperm(len(X_train), device=device)
        for begin in range(0, len(X_train), batch_size):
            index = order[begin : begin + batch_size]
            X, y = X_train[index], y_train[index]
            if "flip" in context.augment:
                flip = torch.rand(len(X), device=device) < 0.5
                X = torch.where(flip[:, None, None, None], X.flip(3), X)
            if "shift" in context.augment:
                shift = torch.randint(0, 5, (2,)).tolist()  # один сдвиг на батч: дёшево
                X = F.pad(X, (2, 2, 2, 2), value=background)
                X = X[:, :, shift[0] : shift[0] + info.size, shift[1] : shift[1] + info.size]
            loss = criterion(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            epoch_loss += loss.item() * len(X)
        print(
            f"    resnet, эпоха {epoch + 1}/{epochs}: потери {epoch_loss / len(X_train):.4f}, "
            f"{time.perf_counter() - start:.0f} с",
            file=sys.stderr,
            flush=True,
        )
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    model.eval()
    correct = 0
    with torch.no_grad():
        for begin in range(0, len(X_test), 1000):
            X = X_test[begin : begin + 1000].to(device)
            correct += (model(X).argmax(dim=1) == y_test[begin : begin + 1000].to(device)).sum()
    return Result(correct.item() / len(X_test), seconds)


ROWS: list[Row] = [
    Row(
        "cnn",
        "CNN урока 2.2 (3 свёртки 3×3, OneCycle; аугментация — у цифр)",
        row_lesson_cnn,
        ("mnist", "fashion-mnist"),
        {"mnist": 0.98, "fashion-mnist": 0.91},
    ),
    Row(
        "reference-cnn",
        "эталон: 2 свёртки 5×5 (16, 32) + BatchNorm; Adam 0.001, батч 100, 5 эпох",
        row_reference_cnn,
        ("mnist", "fashion-mnist"),
        {},
    ),
    Row("mlp", "MLP урока 2.1 (784-128-64-10, Dropout)", row_lesson_mlp, ("mnist",), {}),
    Row(
        "rnn",
        "LSTM урока 2.4 по строкам (1 слой, 128; OneCycle, обрезка градиента)",
        row_lesson_rnn,
        ("mnist", "fashion-mnist"),
        {"mnist": 0.94},
    ),
    Row(
        "reference-lstm",
        "эталон: LSTM 2 слоя по 128 по строкам; Adam 0.01, батч 100, 2 эпохи",
        row_reference_lstm,
        ("mnist", "fashion-mnist"),
        {},
    ),
    Row(
        "resnet",
        "ResNet из блоков урока 2.3 (w-2w-4w; w и аугментация — в первой строке), "
        "SGD + OneCycle, 8 эпох",
        row_resnet,
        ("fashion-mnist",),
        {"fashion-mnist": 0.93},
    ),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dataset", default="mnist", choices=("mnist", "fashion-mnist"))
    parser.add_argument("--data", default=None, help="папка данных (по умолчанию как у уроков)")
    parser.add_argument("--only", nargs="*", default=None, help="ключи строк")
    parser.add_argument(
        "--resnet-augment",
        default="none",
        choices=("flip", "flip-shift", "none"),
        help="аугментация ResNet: отражение, отражение и сдвиг до 2 пикселей, никакой",
    )
    parser.add_argument("--resnet-width", type=int, default=RESNET_WIDTH, help="каналов ResNet")
    args = parser.parse_args()

    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("TQDM_DISABLE", "1")
    import torch

    rows = [row for row in ROWS if args.dataset in row.datasets]
    if args.only:
        rows = [row for row in rows if row.key in args.only]
    print(
        f"torch {torch.__version__}, устройство {args.device}, потоков {torch.get_num_threads()}, "
        f"набор {args.dataset}, повторов {args.repeat}, ResNet: ширина {args.resnet_width}, аугментация {args.resnet_augment}",
        flush=True,
    )
    table, failed = [], False
    with tempfile.TemporaryDirectory() as out_root:
        context = Context(
            args.dataset,
            args.device,
            args.data,
            Path(out_root),
            augment=args.resnet_augment,
            width=args.resnet_width,
        )
        for row in rows:
            results = []
            for repeat in range(args.repeat):
                results.append(row.run(context, repeat))
                print(
                    f"  {row.key}, повтор {repeat + 1}: {results[-1].accuracy:.4f}, "
                    f"{results[-1].train_seconds:.1f} с",
                    file=sys.stderr,
                    flush=True,
                )
            accuracies = [result.accuracy for result in results]
            median = statistics.median(accuracies)
            target = row.targets.get(args.dataset)
            ok = target is None or median >= target
            failed |= not ok
            lesson_times = [r.lesson_seconds for r in results if r.lesson_seconds is not None]
            table.append(
                (row, results, median, min(accuracies), max(accuracies), target, ok, lesson_times)
            )

    print(f"\nНабор: {args.dataset}; доля верных ответов на тестовой части; время — медиана.")
    print("| сеть | доля верных, медиана | мин–макс | обучение, с | весь урок, с | цель | |")
    print("|---|---|---|---|---|---|---|")
    for row, results, median, low, high, target, ok, lesson_times in table:
        train = statistics.median(result.train_seconds for result in results)
        lesson = f"{statistics.median(lesson_times):.1f}" if lesson_times else "—"
        goal = "—" if target is None else f"≥ {target:g}"
        mark = "" if target is None else ("✓" if ok else "✗")
        print(
            f"| {row.title} | {median:.4f} | {low:.4f}–{high:.4f} | {train:.1f} | {lesson} | "
            f"{goal} | {mark} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
