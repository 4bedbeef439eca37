"""Инфраструктура уроков: параметры запуска, выбор устройства, сохранение рисунков.

Здесь только то, что не является предметом урока. Обучение, функции потерь и всё,
чему учит урок, остаётся в файле урока.

Параметры приходят двумя путями:

* ``kurs run 1.6 --quick --device cpu --out папка`` передаёт их через переменные
  окружения ``KURS_QUICK``, ``KURS_DEVICE``, ``KURS_OUT`` (а ``--dataset``, ``--text``,
  ``--data`` — через ``KURS_DATASET``, ``KURS_TEXT``, ``KURS_DATA``);
* ``python lessons/01_osnovy/06_linear_regression.py --quick`` — через командную строку.

В обоих случаях рисунки и чекпойнты урока ложатся в ``kurs_output/<имя урока>/``
(или ``--out папка`` → ``папка/<имя урока>/``).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from kurs.errors import KursError

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")
DEFAULT_OUT = "kurs_output"
# Наборы картинок уроков разделов 2 и 3; «mnist» — 5000 настоящих цифр, работает без сети.
DATASET_CHOICES = ("mnist", "mnist-full", "fashion-mnist", "cifar10")
DEFAULT_DATASET = "mnist"


@dataclass(frozen=True)
class LessonOptions:
    """Как запущен урок: быстрый режим, устройство и папка для рисунков и чекпойнтов."""

    quick: bool
    device: str
    out: Path
    dataset: str = DEFAULT_DATASET  # набор картинок (--dataset)
    text: Path | None = None  # свой текст для языковых моделей (--text)
    data: Path | None = None  # папка с данными (--data); None — папка по умолчанию


def _stop(message: str):
    """Урок, запущенный сам по себе, останавливается одной русской фразой и кодом 2."""
    print(f"Ошибка: {message}", file=sys.stderr)
    raise SystemExit(2)


def _from_argv(argv: list[str]) -> argparse.Namespace:
    # parse_known_args: в Jupyter и под pytest в sys.argv лежат чужие аргументы.
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--dataset", default=DEFAULT_DATASET)
    parser.add_argument("--text", default=None)
    parser.add_argument("--data", default=None)
    known, _ = parser.parse_known_args(argv)
    return known


def _lesson_folder(root: Path, script: str) -> Path:
    """Урок, запущенный как сценарий, пишет туда же, куда `kurs run`: root/<имя урока>.

    Имя урока узнаём по имени файла сценария; в Jupyter и под pytest это не урок,
    и тогда результаты ложатся прямо в root.
    """
    from kurs.catalog import LESSONS

    stem = Path(script).stem
    for lesson in LESSONS:
        if Path(lesson.file).stem == stem:
            return root / lesson.slug
    return root


def options() -> LessonOptions:
    """Параметры текущего запуска урока (переменные окружения важнее командной строки)."""
    argv = _from_argv(sys.argv[1:])
    quick_env = os.environ.get("KURS_QUICK")
    quick = quick_env == "1" if quick_env is not None else argv.quick
    device = os.environ.get("KURS_DEVICE", argv.device)
    if "KURS_OUT" in os.environ:  # kurs run уже добавил имя урока
        out = Path(os.environ["KURS_OUT"]).expanduser()
    else:
        out = _lesson_folder(Path(argv.out).expanduser(), sys.argv[0] if sys.argv else "")
    dataset = os.environ.get("KURS_DATASET", argv.dataset)
    text = os.environ.get("KURS_TEXT", argv.text)
    data = os.environ.get("KURS_DATA", argv.data)
    if device not in DEVICE_CHOICES:
        _stop(f"Неизвестное устройство «{device}». Укажите одно из: {', '.join(DEVICE_CHOICES)}.")
    if dataset not in DATASET_CHOICES:
        _stop(f"Неизвестный набор данных «{dataset}». Есть: {', '.join(DATASET_CHOICES)}.")
    return LessonOptions(
        quick=quick,
        device=device,
        out=out,
        dataset=dataset,
        text=Path(text).expanduser() if text else None,
        data=Path(data).expanduser() if data else None,
    )


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


def mps_available() -> bool:
    import torch

    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())


def _no_cuda_reason() -> str:
    """Почему cuda недоступна: PyTorch собран без CUDA или видеокарты нет."""
    import torch

    built_with = getattr(torch.version, "cuda", None) or getattr(torch.version, "hip", None)
    if built_with:
        platform = "ROCm" if getattr(torch.version, "hip", None) else "CUDA"
        return (
            f"Запрошено устройство cuda, но видеокарта не найдена: PyTorch собран с "
            f"{platform} {built_with}, а torch.cuda.is_available() говорит False — в системе "
            "нет видеокарты, её драйвер не установлен или устарел, или она не видна этому процессу "
            "(контейнер, переменная CUDA_VISIBLE_DEVICES). Запустите с --device cpu (или auto)."
        )
    return (
        "Запрошено устройство cuda, но установленный PyTorch собран без поддержки CUDA. "
        "Запустите с --device cpu (или auto) либо установите сборку PyTorch с CUDA "
        "(команду для своей системы подскажет pytorch.org)."
    )


def resolve_device(requested: str = "auto") -> str:
    """Имя устройства: для ``auto`` — cuda, затем mps, затем cpu."""
    if requested == "auto":
        if cuda_available():
            return "cuda"
        if mps_available():
            return "mps"
        return "cpu"
    if requested == "cuda" and not cuda_available():
        raise KursError(_no_cuda_reason())
    if requested == "mps" and not mps_available():
        raise KursError(
            "Запрошено устройство mps, но оно доступно только на Mac с Apple Silicon. "
            "Запустите с --device cpu (или auto)."
        )
    if requested not in DEVICE_CHOICES:
        raise KursError(
            f"Неизвестное устройство «{requested}». Укажите одно из: {', '.join(DEVICE_CHOICES)}."
        )
    return requested


def choose_device(requested: str = "auto"):
    """Выбирает устройство, печатает его и возвращает ``torch.device``."""
    import torch

    try:
        device = torch.device(resolve_device(requested))
    except KursError as exc:
        _stop(str(exc))
    print(f"Устройство: {device}")
    return device


def output_path(name: str, out: Path | None = None) -> Path:
    """Путь к файлу в папке результатов запуска; папка создаётся при необходимости."""
    folder = out if out is not None else options().out
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _stop(
            f"Не удаётся создать папку результатов «{folder}» ({exc.strerror}). "
            "Укажите другую папку через --out."
        )
    return folder / name


def save_figure(fig, name: str) -> Path:
    """Сохраняет рисунок в PNG, печатает путь и оставляет рисунок открытым.

    Рисунок не закрывается, чтобы генератор сайта (sphinx-gallery) мог показать его
    на странице урока; ``kurs run`` закрывает все рисунки после урока сам.
    """
    if not name.endswith(".png"):
        name += ".png"
    path = output_path(name)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    print(f"Рисунок сохранён: {path}")
    return path
