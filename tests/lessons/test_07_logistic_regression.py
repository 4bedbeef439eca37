"""Урок 1.7 (lessons/01_osnovy/07_logistic_regression.py): softmax-регрессия на цифрах."""

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits
from sklearn.metrics import confusion_matrix
from torch import nn


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("1.7")


def test_accuracy_meets_target_and_is_recomputed(run):
    ns = run.namespace
    model = ns["model"]
    # Урок обещает ровно один линейный слой 64 → 10.
    assert isinstance(model, nn.Linear)
    assert (model.in_features, model.out_features) == (64, 10)
    assert isinstance(ns["test_accuracy"], float)
    assert run.lesson.meets_target(ns["test_accuracy"]) and ns["test_accuracy"] >= 0.93

    X_test, y_test = ns["X_test"].cpu(), ns["y_test"].cpu()
    assert X_test.shape == (450, 64) and y_test.shape == (450,)
    model.eval()
    with torch.no_grad():
        expected = (model.cpu()(X_test).argmax(dim=1) == y_test).double().mean().item()
    assert ns["test_accuracy"] == pytest.approx(expected, abs=1e-6)


def test_split_is_disjoint_stratified_and_scaled_by_train_only(run):
    ns = run.namespace
    train_idx, test_idx = set(ns["train_idx"].tolist()), set(ns["test_idx"].tolist())
    assert not train_idx & test_idx
    assert train_idx | test_idx == set(range(1797))

    digits = load_digits()
    raw = torch.tensor(digits.data, dtype=torch.float32)
    labels = torch.tensor(digits.target)
    test_rows = ns["test_idx"]
    assert torch.equal(ns["y_test"].cpu(), labels[test_rows])
    # Стратификация: в тест попала четверть картинок каждой цифры (с точностью до одной).
    test_counts = torch.bincount(labels[test_rows], minlength=10)
    all_counts = torch.bincount(labels, minlength=10)
    assert (test_counts - 0.25 * all_counts).abs().max() <= 1

    # Нормировка — статистиками одной лишь обучающей части (со статистиками всех данных
    # или теста признаки отличались бы заметно больше допуска).
    train_rows = raw[ns["train_idx"]]
    mean = train_rows.mean(dim=0)
    std = train_rows.std(dim=0).clamp_min(1.0)
    assert torch.allclose(ns["X_test"].cpu(), (raw[test_rows] - mean) / std, atol=1e-5)
    assert torch.allclose(ns["X_train"], (train_rows - mean) / std, atol=1e-5)
    assert ns["X_train"].mean(dim=0).abs().max() < 1e-5


def test_training_loop_reduced_loss(run):
    ns = run.namespace
    losses = ns["train_losses"]
    assert len(losses) == ns["num_epochs"] > 0
    # Случайная модель даёт потери около ln 10 ≈ 2.3; обученная — в десятки раз меньше.
    assert losses[-1] < 0.2 * losses[0]
    assert losses[-1] < 0.2
    assert len(ns["train_loader"]) == int(np.ceil(1347 / ns["batch_size"]))


def test_softmax_probabilities_and_cross_entropy(run):
    ns = run.namespace
    probs = ns["example_probs"].cpu()
    assert probs.shape == (10,)
    assert probs.min() > 0
    assert probs.sum().item() == pytest.approx(1.0, abs=1e-6)

    # Softmax пересчитываем вручную из логитов модели.
    model = ns["model"].cpu()
    with torch.no_grad():
        logits = model(ns["X_test"][:1].cpu())[0].double()
    expected = torch.exp(logits - logits.max())
    expected = expected / expected.sum()
    assert torch.allclose(probs.double(), expected, atol=1e-5)
    assert probs.argmax().item() == ns["predictions"][0].item()

    # CrossEntropyLoss = -log softmax верного класса.
    label = ns["example_label"]
    assert ns["manual_loss"] == pytest.approx(-torch.log(expected[label]).item(), abs=1e-5)
    assert ns["library_loss"] == pytest.approx(ns["manual_loss"], abs=1e-5)


def test_confusion_matrix_matches_sklearn(run):
    ns = run.namespace
    y_true, y_pred = ns["y_test"].cpu().numpy(), ns["predictions"].cpu().numpy()
    expected = confusion_matrix(y_true, y_pred, labels=range(10))
    assert np.array_equal(ns["confusion"].numpy(), expected)
    per_class = expected.diagonal() / expected.sum(axis=1)
    assert np.allclose(ns["per_class_recall"].numpy(), per_class)
    # Полнота (recall) — по строкам; с точностью (precision, по столбцам) она не совпадает.
    precision = expected.diagonal() / np.maximum(expected.sum(axis=0), 1)
    assert not np.allclose(per_class, precision)
    assert expected.trace() / expected.sum() == pytest.approx(ns["test_accuracy"], abs=1e-6)

    # Урок печатает все пары с наибольшим числом ошибок, а не одну из них.
    off_diagonal = expected - np.diag(expected.diagonal())
    assert ns["most_mistakes"] == off_diagonal.max() > 0
    expected_pairs = {tuple(pair) for pair in np.argwhere(off_diagonal == off_diagonal.max())}
    assert set(ns["most_confused"]) == expected_pairs


def test_binary_logistic_regression_with_sigmoid(run):
    ns = run.namespace
    model = ns["binary_model"]
    assert isinstance(model, nn.Linear) and model.out_features == 1
    assert isinstance(ns["binary_criterion"], nn.BCEWithLogitsLoss)
    # Две цифры различаются почти без ошибок; пересчитываем долю верных здесь.
    X_test, y_test = ns["X_test"].cpu(), ns["y_test"].cpu()
    a, b = ns["binary_digits"]
    mask = (y_test == a) | (y_test == b)
    with torch.no_grad():
        probs = torch.sigmoid(model.cpu()(X_test[mask]).squeeze(1))
    accuracy = ((probs > 0.5) == (y_test[mask] == b)).double().mean().item()
    assert ns["binary_accuracy"] == pytest.approx(accuracy, abs=1e-6)
    assert accuracy >= 0.95
    # BCEWithLogitsLoss = −[t·log σ(z) + (1 − t)·log(1 − σ(z))], посчитанная вручную.
    logits = torch.tensor([-2.0, 0.5, 3.0])
    targets = torch.tensor([0.0, 1.0, 1.0])
    sigma = 1 / (1 + torch.exp(-logits))
    manual = -(targets * torch.log(sigma) + (1 - targets) * torch.log(1 - sigma)).mean()
    assert ns["binary_criterion"](logits, targets).item() == pytest.approx(manual.item(), abs=1e-6)
    # softmax([z, 0]) — та же сигмоида.
    z = ns["z"]
    assert torch.allclose(ns["softmax_of_pair"], torch.sigmoid(z), atol=1e-6)


def test_zero_template_has_negative_centre(run):
    """«У нуля синяя середина»: веса центральных пикселей голосуют против нуля."""
    weights = run.namespace["weights"]  # (10, 8, 8)
    assert weights[0, 3:5, 3:5].mean() < 0
    # А у единицы, штрих которой как раз в центре, середина — за свой класс.
    assert weights[1, 3:5, 3:5].mean() > weights[0, 3:5, 3:5].mean()


def test_argmax_of_softmax_equals_argmax_of_logits(run):
    """«Softmax не меняет порядок»: предсказание можно брать по логитам."""
    logits = run.namespace["test_logits"].cpu()
    assert torch.equal(torch.softmax(logits, dim=1).argmax(dim=1), logits.argmax(dim=1))


def test_figures_saved(run):
    for name in ("logistic_training", "logistic_weights", "logistic_probabilities"):
        figure = run.out / f"{name}.png"
        assert figure.is_file() and figure.stat().st_size > 10_000
