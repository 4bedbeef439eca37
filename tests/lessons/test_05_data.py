"""Урок 1.5 (lessons/01_osnovy/05_data.py): Dataset, DataLoader, перемешивание, деление, склейка."""

import math
import multiprocessing
import os
import sys
import warnings

import pytest
import torch
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, Dataset

NUM_DIGITS = 1797


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("1.5")


def test_tensor_dataset_batches(ns):
    features, label = ns["toy_dataset"][7]
    assert torch.equal(features, ns["toy_X"][7]) and label == ns["toy_y"][7]
    # 100 = 3 · 32 + 4: хвост из 4 примеров есть, пока его не отбросит drop_last.
    assert ns["toy_batch_sizes"] == [32, 32, 32, 4]
    assert ns["toy_batch_sizes_drop_last"] == [32, 32, 32]


def test_custom_dataset_items(ns):
    digits = ns["digits"]
    assert isinstance(digits, torch.utils.data.Dataset)
    assert len(digits) == NUM_DIGITS
    reference = load_digits()
    assert reference.images.min() == 0 and reference.images.max() == 16  # «яркость от 0 до 16»
    for index in (0, 500, NUM_DIGITS - 1):
        image, label = digits[index]
        assert image.shape == (1, 8, 8) and image.dtype == torch.float32
        assert label.dtype == torch.int64 and label.item() == reference.target[index]
        assert 0.0 <= image.min() and image.max() <= 1.0
        expected = torch.tensor(reference.images[index], dtype=torch.float32) / 16.0
        assert torch.allclose(image[0], expected)
    all_images = torch.stack([digits[i][0] for i in range(len(digits))])
    assert all_images.max() == 1.0  # масштаб именно [0, 1], а не [0, 1/16] или [0, 16]


def test_digit_batches_and_last_batch(ns):
    batch_size = ns["batch_size"]
    assert ns["images"].shape[1:] == (1, 8, 8)
    first_images, first_labels = next(iter(ns["loader"]))
    assert first_images.shape == (batch_size, 1, 8, 8) and first_labels.shape == (batch_size,)
    assert len(ns["batch_sizes"]) == math.ceil(NUM_DIGITS / batch_size)
    assert ns["batch_sizes"][-1] == NUM_DIGITS % batch_size == 5
    assert sum(ns["batch_sizes"]) == NUM_DIGITS
    assert ns["num_batches_drop_last"] == NUM_DIGITS // batch_size
    # «BatchNorm в режиме train не принимает батч из одного примера».
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        torch.nn.BatchNorm1d(3)(torch.randn(1, 3))


def test_shuffled_epoch_is_permutation_and_orders_differ(ns):
    first, second = ns["epoch_orders"]
    assert sorted(first) == list(range(NUM_DIGITS))
    assert sorted(second) == list(range(NUM_DIGITS))
    assert first != second and first != list(range(NUM_DIGITS))
    assert ns["same_order_with_seed"]


def test_shuffled_loader_really_yields_each_example_once(ns):
    """Не только сэмплер: полная эпоха загрузчика содержит каждую картинку ровно один раз."""
    digits = ns["digits"]
    epoch = torch.cat([images.flatten(1) for images, labels in ns["shuffled_loader"]])
    ordered = digits.images.flatten(1)
    assert epoch.shape == ordered.shape and not torch.equal(epoch, ordered)
    # Сортируем строки лексикографически через уникальные строки с кратностями.
    rows_epoch, counts_epoch = torch.unique(epoch, dim=0, return_counts=True)
    rows_all, counts_all = torch.unique(ordered, dim=0, return_counts=True)
    assert torch.equal(rows_epoch, rows_all) and torch.equal(counts_epoch, counts_all)


def test_same_seed_gives_same_order(ns):
    def first_batch_labels(seed):
        loader = DataLoader(
            ns["digits"], batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(seed)
        )
        return next(iter(loader))[1]

    assert torch.equal(ns["first_labels"][0], first_batch_labels(7))
    assert not torch.equal(first_batch_labels(7), first_batch_labels(8))
    # Свой генератор не зависит от того, сколько случайных чисел потратил остальной код.
    torch.manual_seed(123)
    torch.rand(1000)
    assert torch.equal(ns["first_labels"][0], first_batch_labels(7))


def test_workers_epoch_sees_all_examples(ns):
    assert ns["num_workers"] == 0  # быстрый режим обходится без процессов
    assert ns["num_seen"] == NUM_DIGITS


def test_default_start_method_is_as_the_lesson_says(ns):
    if sys.platform in ("win32", "darwin"):
        expected = "spawn"
    else:
        expected = "fork" if sys.version_info < (3, 14) else "forkserver"
    assert ns["default_start_method"] == expected == multiprocessing.get_start_method()


class _WorkerPid(Dataset):
    def __len__(self):
        return 2

    def __getitem__(self, index):
        return os.getpid()


@pytest.mark.skipif(sys.platform != "linux", reason="fork есть только в Linux")
def test_persistent_workers_are_not_restarted():
    def worker_pids(persistent):
        loader = DataLoader(
            _WorkerPid(),
            batch_size=2,
            num_workers=1,
            persistent_workers=persistent,
            multiprocessing_context="fork",
        )
        return [next(iter(loader)).tolist()[0] for _ in range(2)]

    first, second = worker_pids(persistent=False)
    assert first != second and os.getpid() not in (first, second)
    first, second = worker_pids(persistent=True)
    assert first == second


def test_pin_memory_only_with_an_accelerator(ns):
    # Урок закрепляет батчи только для cuda; тесты запускают его на CPU.
    assert ns["batch_pinned"] is (ns["device"].type == "cuda")
    if not torch.accelerator.is_available():
        with pytest.warns(UserWarning, match="no accelerator is found"):
            images, _ = next(iter(DataLoader(ns["digits"], batch_size=4, pin_memory=True)))
        assert not images.is_pinned()


@pytest.mark.skipif(not torch.cuda.is_available(), reason="нет видеокарты CUDA")
def test_pin_memory_with_non_blocking_does_not_wait():
    images, _ = next(iter(DataLoader(range(8), batch_size=8, pin_memory=True)))
    assert images.is_pinned()
    big = torch.ones(64 * 1024 * 1024).pin_memory()  # 256 МБ: копия идёт заметное время
    stream = torch.cuda.current_stream()
    torch.cuda.synchronize()
    big.to("cuda", non_blocking=True)
    still_copying = not stream.query()  # программа пошла дальше, копия ещё идёт
    torch.cuda.synchronize()
    big.to("cuda")  # без non_blocking программа ждёт конца копии
    assert still_copying and stream.query()


def test_random_split_is_disjoint_and_complete(ns):
    train, val = ns["train_part"], ns["val_part"]
    assert len(train) + len(val) == NUM_DIGITS
    assert len(train) == round(0.8 * NUM_DIGITS)
    # Subset не копирует данные: ссылается на исходный набор и хранит номера.
    assert train.dataset is ns["digits"] and val.dataset is ns["digits"]
    train_idx, val_idx = set(train.indices), set(val.indices)
    assert len(train_idx) == len(train) and len(val_idx) == len(val)
    assert not train_idx & val_idx
    assert train_idx | val_idx == set(range(NUM_DIGITS))
    # Тот же генератор с тем же зерном — то же деление.
    again = torch.utils.data.random_split(
        range(NUM_DIGITS), [0.8, 0.2], generator=torch.Generator().manual_seed(0)
    )
    assert list(again[0].indices) == list(train.indices)


def test_transforms_applied(ns):
    digits = ns["digits"]
    # Статистики — только по обучающей части, без проверочных примеров.
    raw = torch.stack([digits[i][0] for i in ns["train_part"].indices])
    mean, std = raw.mean().item(), raw.std().item()
    assert ns["pixel_mean"] == pytest.approx(mean, rel=1e-5)
    assert ns["pixel_std"] == pytest.approx(std, rel=1e-5)
    image, label = ns["normalized_digits"][3]
    assert torch.allclose(image, (digits[3][0] - mean) / std, atol=1e-5)
    assert label == digits[3][1]
    normalized = ns["train_normalized"]
    assert abs(normalized.mean().item()) < 1e-4 and abs(normalized.std().item() - 1) < 1e-4
    # Готовое преобразование torchvision — такая же функция от картинки.
    from torchvision.transforms import v2

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ready = v2.Normalize([mean], [std])
    assert torch.allclose(ready(digits[3][0]), ns["normalize"](digits[3][0]), atol=1e-6)


def test_augmentation_only_in_train_part(ns):
    train_set, val_set, train_part, val_part = (
        ns["train_set"],
        ns["val_set"],
        ns["train_part"],
        ns["val_part"],
    )
    assert list(train_set.indices) == list(train_part.indices)
    assert list(val_set.indices) == list(val_part.indices)
    normalized = ns["normalized_digits"]
    # Обучающий пример каждый раз новый: шум случайный, со стандартным отклонением noise_std.
    index = train_part.indices[0]
    noises = torch.stack([train_set[0][0] - normalized[index][0] for _ in range(50)])
    assert noises.std().item() == pytest.approx(ns["noise_std"], rel=0.1)
    assert not torch.equal(noises[0], noises[1])
    # Проверочный пример детерминирован: никакого шума.
    assert torch.equal(val_set[0][0], val_set[0][0])
    assert torch.equal(val_set[0][0], normalized[val_part.indices[0]][0])


def test_pad_collate(ns):
    assert ns["default_collate_failed"]
    padded, lengths = ns["padded_batch"], ns["padded_lengths"]
    sequences = ns["sequences"]
    assert padded.shape == (len(sequences), max(len(s) for s in sequences))
    assert lengths.tolist() == [len(s) for s in sequences]
    for row, sequence in zip(padded, sequences, strict=True):
        assert torch.equal(row[: len(sequence)], sequence)
        assert torch.all(row[len(sequence) :] == 0)


def test_figure_saved(run):
    figure = run.out / "digits_grid.png"
    assert figure.is_file() and figure.stat().st_size > 10_000
