"""Проверки упражнений урока 1.5 «Данные: Dataset и DataLoader»."""

import numpy as np
import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset

from kurs.exercises.spec import call, expect_tensor, fail


def _pair(got, what):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"{what}: ожидалась пара (x, y), получено {type(got).__name__}")
    return got


# ---------------------------------------------------------------- 1.5.1 ArrayDataset


def _check_items(dataset, features, labels, transform, name):
    n = len(labels)
    got_len = call(len, dataset)
    if got_len != n:
        fail(f"{name}: len(dataset) = {got_len}, а примеров {n}")
    for index in [*range(n), -1, -n]:
        x, y = _pair(call(lambda i=index: dataset[i]), f"{name}: dataset[{index}]")
        expected_x = torch.tensor(features[index], dtype=torch.float32)
        if transform is not None:
            expected_x = transform(expected_x)
        expect_tensor(x, expected_x, what=f"{name}: x из dataset[{index}]")
        expect_tensor(
            y,
            torch.tensor(int(labels[index]), dtype=torch.int64),
            what=f"{name}: y из dataset[{index}]",
        )


def check_array_dataset(ArrayDataset):
    features = np.array([[1.5, 2.0], [3.0, -4.0], [0.0, 0.25]])
    labels = np.array([2, 0, 1], dtype=np.int32)
    dataset = call(ArrayDataset, features, labels)
    if not isinstance(dataset, Dataset):
        fail("ArrayDataset должен наследоваться от torch.utils.data.Dataset")
    _check_items(dataset, features, labels, None, "features float64 (3, 2), labels int32")

    rng = np.random.default_rng(0)
    cases = [
        ("features float64 (7, 3)", rng.standard_normal((7, 3)), rng.integers(0, 5, 7)),
        (
            "features int32 (5, 4)",
            rng.integers(-20, 20, (5, 4)).astype(np.int32),
            rng.integers(0, 3, 5).astype(np.uint8),
        ),
        ("features float32 (4, 1)", rng.standard_normal((4, 1)).astype(np.float32), np.arange(4)),
    ]
    for name, features, labels in cases:
        _check_items(call(ArrayDataset, features, labels), features, labels, None, name)

    seen_dtypes = []

    def transform(x):
        seen_dtypes.append(x.dtype if isinstance(x, torch.Tensor) else type(x).__name__)
        return x * 2 + 1

    name, features, labels = cases[0]
    dataset = call(ArrayDataset, features, labels, transform=transform)
    x, _ = _pair(call(lambda: dataset[0]), f"{name} с transform: dataset[0]")
    if not seen_dtypes:
        fail("transform задан, но dataset[0] его не вызвал")
    if seen_dtypes[0] != torch.float32:
        fail(f"transform должен получать тензор float32, а получил {seen_dtypes[0]}")
    _check_items(dataset, features, labels, lambda t: t * 2 + 1, f"{name} с transform x·2 + 1")

    try:
        call(ArrayDataset, np.zeros((5, 2)), np.zeros(4, dtype=np.int64))
    except ValueError:
        pass
    except Exception as exc:  # noqa: BLE001
        fail(
            f"при разных длинах features (5) и labels (4) ожидался ValueError, а не {type(exc).__name__}"
        )
    else:
        fail("features из 5 примеров и labels из 4: ожидался ValueError, а набор создался молча")

    dataset = call(ArrayDataset, features, labels)
    batches = call(lambda: list(DataLoader(dataset, batch_size=3)))
    if len(batches) != 3:
        fail(f"DataLoader(batch_size=3) по 7 примерам должен дать 3 батча, дал {len(batches)}")
    for number, batch in enumerate(batches):
        xb, yb = _pair(batch, f"батч №{number + 1} из DataLoader")
        rows = slice(3 * number, 3 * number + 3)
        expect_tensor(
            xb,
            torch.tensor(features[rows], dtype=torch.float32),
            what=f"x батча №{number + 1} из DataLoader",
        )
        expect_tensor(
            yb, torch.tensor(labels[rows], dtype=torch.int64), what=f"y батча №{number + 1}"
        )


# ---------------------------------------------------------------- 1.5.2 pad_collate


def _collate_reference(batch):
    sequences = [sequence for sequence, _ in batch]
    lengths = torch.tensor([len(sequence) for sequence in sequences])
    padded = pad_sequence(sequences, batch_first=True)
    mask = torch.arange(padded.shape[1]) < lengths[:, None]
    return padded, mask, torch.tensor([label for _, label in batch])


def _compare_collate(got, batch, inputs):
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        fail(f"{inputs}: ожидалась тройка (padded, mask, labels), получено {type(got).__name__}")
    for value, expected, what in zip(
        got, _collate_reference(batch), ("padded", "mask", "labels"), strict=True
    ):
        expect_tensor(value, expected, what=what, inputs=inputs)


def _random_batch(size, features, seed):
    gen = torch.Generator().manual_seed(seed)
    lengths = torch.randint(1, 7, (size,), generator=gen).tolist()
    labels = torch.randint(0, 5, (size,), generator=gen).tolist()
    return [
        (torch.randn(length, features, generator=gen), label)
        for length, label in zip(lengths, labels, strict=True)
    ]


def check_pad_collate(pad_collate):
    batch = [(torch.tensor([[1.0], [2.0], [3.0]]), 0), (torch.tensor([[4.0]]), 2)]
    _compare_collate(call(pad_collate, batch), batch, "batch = [([[1], [2], [3]], 0), ([[4]], 2)]")
    for seed, (size, features) in enumerate([(1, 1), (3, 2), (5, 4), (4, 3)]):
        batch = _random_batch(size, features, seed)
        lengths = [len(sequence) for sequence, _ in batch]
        inputs = f"B={size}, F={features}, длины {lengths}"
        _compare_collate(call(pad_collate, batch), batch, inputs)
    data = _random_batch(7, 2, 10)
    loader = DataLoader(data, batch_size=3, collate_fn=pad_collate)
    got = call(lambda: list(loader))
    for number, start in enumerate(range(0, len(data), 3)):
        part = data[start : start + 3]
        lengths = [len(sequence) for sequence, _ in part]
        _compare_collate(got[number], part, f"батч №{number + 1} из DataLoader, длины {lengths}")


# ---------------------------------------------------------------- 1.5.3 split_indices


def _split(split_indices, n, fraction, seed):
    inputs = f"n={n}, val_fraction={fraction}, seed={seed}"
    state = torch.get_rng_state()
    got = call(split_indices, n, fraction, seed)
    if not torch.equal(state, torch.get_rng_state()):
        fail(
            f"{inputs}: функция сдвинула глобальный генератор случайных чисел (torch.manual_seed "
            "или randperm без generator=). Заведите свой torch.Generator().manual_seed(seed)"
        )
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"{inputs}: ожидалась пара (train_idx, val_idx), получено {type(got).__name__}")
    for value, what in zip(got, ("train_idx", "val_idx"), strict=True):
        if not isinstance(value, torch.Tensor):
            fail(f"{inputs}: {what} — ожидался torch.Tensor, получен {type(value).__name__}")
        if value.dim() != 1:
            fail(f"{inputs}: {what} должен быть одномерным, а его форма {tuple(value.shape)}")
        if value.dtype != torch.int64:
            fail(f"{inputs}: {what} должен быть int64, а он {value.dtype}")
    train, val = got
    n_val = int(n * fraction)
    if len(val) != n_val:
        fail(
            f"{inputs}: размер валидационной части должен быть int({n} · {fraction}) = {n_val}, "
            f"у вас {len(val)}"
        )
    together = torch.sort(torch.cat([train, val])).values
    if not torch.equal(together, torch.arange(n)):
        common = sorted(set(train.tolist()) & set(val.tolist()))
        if common:
            fail(f"{inputs}: части пересекаются, общие номера: {common[:10]}")
        fail(f"{inputs}: вместе части должны дать каждый номер от 0 до {n - 1} ровно по разу")
    return train, val


def check_split_indices(split_indices):
    for n, fraction, seed in [(10, 0.2, 0), (7, 0.5, 3), (100, 0.25, 1), (5, 0.0, 2), (1, 0.9, 0)]:
        first = _split(split_indices, n, fraction, seed)
        second = _split(split_indices, n, fraction, seed)
        if not (torch.equal(first[0], second[0]) and torch.equal(first[1], second[1])):
            fail(
                f"n={n}, val_fraction={fraction}, seed={seed}: два вызова с одним seed "
                "дали разные деления — деление должно повторяться"
            )
    val_sets = []
    for seed in range(4):
        _, val = _split(split_indices, 100, 0.2, seed)
        chosen = sorted(val.tolist())
        if chosen in (list(range(80, 100)), list(range(20))):
            fail(
                f"n=100, seed={seed}: в валидационную часть попали подряд идущие номера "
                f"{chosen[0]}..{chosen[-1]} — перемешайте номера перед разрезом"
            )
        val_sets.append(chosen)
    if all(chosen == val_sets[0] for chosen in val_sets):
        fail("n=100: seed 0, 1, 2 и 3 дали одинаковое деление — seed должен влиять на результат")
