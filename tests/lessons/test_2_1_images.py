"""Урок 2.1 (lessons/02_nachalnyi/01_images.py): torchvision.datasets, transforms.v2,
DataLoader, make_grid и полносвязная сеть как планка для урока 2.2."""

import socket

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn
from torchvision import datasets

from kurs.data import DATASET_INFO


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("2.1")


def test_dataset_gives_pil_images_from_torchvision(ns):
    assert ns["Dataset"] is datasets.MNIST
    assert isinstance(ns["raw_train_set"], datasets.MNIST) and len(ns["raw_train_set"]) == 4000
    assert isinstance(ns["image"], Image.Image)
    assert ns["image"].size == (28, 28) and ns["image"].mode == "L"
    assert ns["label"] == 0


def test_transform_steps(ns):
    uint8, as_float, normalized = ns["image_uint8"], ns["image_float"], ns["image_normalized"]
    assert uint8.dtype == torch.uint8 and uint8.shape == (1, 28, 28)
    assert torch.equal(uint8[0], torch.from_numpy(np.array(ns["image"])))
    # ToDtype(scale=True): деление на 255, диапазон [0, 1].
    assert as_float.dtype == torch.float32
    assert torch.allclose(as_float, uint8.float() / 255)
    assert as_float.min() >= 0 and as_float.max() == 1.0
    mean, std = DATASET_INFO["mnist"].mean[0], DATASET_INFO["mnist"].std[0]
    assert torch.allclose(normalized, (as_float - mean) / std, atol=1e-6)


def test_normalize_statistics(ns):
    info = DATASET_INFO["mnist"]
    # Посчитанные уроком среднее и стандартное отклонение — те же, что в kurs.data.
    assert ns["stats_images"].shape == (4000, 1, 28, 28)
    assert ns["pixel_mean"].item() == pytest.approx(info.mean[0], abs=0.003)
    assert ns["pixel_std"].item() == pytest.approx(info.std[0], abs=0.003)
    assert ns["pixel_mean"].item() == pytest.approx(ns["stats_images"].mean().item(), abs=1e-5)
    # После Normalize: среднее ≈ 0, стандартное отклонение ≈ 1.
    assert abs(ns["normalized_mean"]) < 0.01
    assert ns["normalized_std"] == pytest.approx(1.0, abs=0.01)


def test_augmentations_change_pixels_not_shape(ns):
    demo, augmented = ns["demo_image"], ns["augmented"]
    assert ns["raw_train_set"][2][1] == 2  # показываем настоящую двойку
    assert len(augmented) >= 5
    for name, picture in augmented.items():
        assert picture.shape == demo.shape and picture.dtype == demo.dtype, name
        assert not torch.equal(picture, demo), name
    # Зеркало — отражение по ширине: для цифры это уже другая картинка.
    assert torch.equal(augmented["зеркало (нельзя!)"], torch.flip(demo, dims=[-1]))
    # Стирание обнуляет прямоугольник и не трогает остальное.
    erased = augmented["стирание куска"]
    changed = erased != demo
    assert changed.any() and (erased[changed] == 0).all()
    # Восемь вызовов одной случайной цепочки — восемь разных картинок.
    views = ns["epoch_views"].flatten(1)
    assert len(views) == 8
    assert all(not torch.equal(views[i], views[j]) for i in range(8) for j in range(i + 1, 8))


def test_dataloader_batches(ns):
    images, labels = ns["images"], ns["labels"]
    assert images.shape == (100, 1, 28, 28) and images.dtype == torch.float32
    assert labels.shape == (100,) and labels.dtype == torch.int64
    assert len(ns["train_loader"]) == 40 and len(ns["test_set"]) == 1000
    # В наборе цифры идут по кругу 0, 1, …, 9; shuffle=True это порядок ломает.
    assert labels.tolist() != [i % 10 for i in range(100)]
    # Батч — это преобразованные картинки набора (Normalize применён).
    assert images.mean().abs() < 0.3


def test_make_grid_layout(ns):
    grid, cells = ns["grid"], ns["grid_images"]
    assert grid.shape == (3, 8 * 28 + 9 * 2, 8 * 28 + 9 * 2)
    assert cells.shape == (64, 1, 28, 28)
    # Отмена Normalize вернула яркости в [0, 1].
    assert cells.min() >= -1e-5 and cells.max() <= 1 + 1e-5
    # Картинка 0 — в левом верхнем углу после рамки в 2 пикселя, картинка 9 — во втором ряду;
    # один канал размножен на три.
    assert torch.allclose(grid[:, 2:30, 2:30], cells[0].expand(3, 28, 28))
    assert torch.allclose(grid[:, 32:60, 2:30], cells[8].expand(3, 28, 28))
    assert torch.allclose(grid[:, 32:60, 32:60], cells[9].expand(3, 28, 28))


def test_mlp_structure_and_parameter_count(ns):
    model = ns["model"]
    assert isinstance(model[0], nn.Flatten)
    assert ns["flat_shape"] == (100, 784)
    linear = [layer for layer in model.modules() if isinstance(layer, nn.Linear)]
    assert [(layer.in_features, layer.out_features) for layer in linear] == [
        (784, 128),
        (128, 64),
        (64, 10),
    ]
    assert ns["num_parameters"] == 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10 == 109_386


def test_mlp_learns_and_accuracy_is_recomputed(run, ns):
    losses, accuracies = ns["train_losses"], ns["test_accuracies"]
    assert len(losses) == len(accuracies) == ns["num_epochs"]
    assert losses[-1] < 0.4 * losses[0]
    assert accuracies[-1] == ns["test_accuracy"]
    # В быстром режиме эпох втрое меньше; полный режим проверяет bench (цель в каталоге).
    assert ns["test_accuracy"] >= 0.88
    model = ns["model"].cpu().eval()
    correct = 0
    with torch.no_grad():
        for X, y in ns["test_loader"]:
            correct += (model(X).argmax(dim=1) == y).sum().item()
    assert correct / 1000 == pytest.approx(ns["test_accuracy"], abs=1e-9)
    assert run.lesson.target is not None and run.lesson.metric == "test_accuracy"


def test_mlp_does_not_care_about_pixel_order(ns):
    """«Переставьте пиксели одинаково во всех картинках и столбцы весов первого слоя —
    ответы не изменятся»."""
    model = ns["model"].cpu().eval()
    generator = torch.Generator().manual_seed(0)
    order = torch.randperm(784, generator=generator)
    shuffled = nn.Sequential(*[layer for layer in model]).eval()
    first = nn.Linear(784, 128)
    with torch.no_grad():
        first.weight.copy_(model[1].weight[:, order])
        first.bias.copy_(model[1].bias)
    shuffled[1] = first
    X = ns["images"][:20]
    X_shuffled = X.flatten(1)[:, order].reshape_as(X)
    with torch.no_grad():
        assert torch.allclose(shuffled(X_shuffled), model(X), atol=1e-5)
        assert not torch.allclose(model(X_shuffled), model(X), atol=1e-2)


def test_figures_saved(run):
    for name in ("images_augmentations", "images_epoch_views", "images_grid", "images_training"):
        figure = run.out / f"{name}.png"
        assert figure.is_file() and figure.stat().st_size > 5_000, name


def test_offline_dataset_request_is_one_russian_sentence(tmp_path, monkeypatch, capsys):
    """``kurs run 2.1 --dataset cifar10`` без сети: одна фраза и код 2, без трассировки."""
    from kurs.cli import main

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(datasets.CIFAR10, "url", f"http://127.0.0.1:{port}/c.tar.gz")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.chdir(tmp_path)
    code = main(["run", "2.1", "--quick", "--dataset", "cifar10", "--data", str(tmp_path / "d")])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert err.strip().startswith("Ошибка: Не удалось скачать набор «cifar10»")
    assert len(err.strip().splitlines()) == 1
