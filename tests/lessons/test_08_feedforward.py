"""Урок 1.8 (lessons/01_osnovy/08_feedforward.py): MLP с Dropout, train() против eval()."""

import math

import pytest
import torch
from torch import nn


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("1.8")


def accuracy(model, X, y):
    model.eval()
    with torch.no_grad():
        return (model(X).argmax(dim=1) == y).double().mean().item()


def test_mlp_structure(run):
    model = run.namespace["model"]
    layers = list(model.modules())
    linear = [layer for layer in layers if isinstance(layer, nn.Linear)]
    assert len(linear) >= 3  # хотя бы два скрытых слоя
    assert linear[0].in_features == 64 and linear[-1].out_features == 10
    assert any(isinstance(layer, nn.ReLU) for layer in layers)
    assert any(isinstance(layer, nn.Dropout) and layer.p > 0 for layer in layers)
    expected = sum(a.in_features * a.out_features + a.out_features for a in linear)
    assert run.namespace["num_parameters"] == expected
    # «В десятки раз больше параметров», чем у nn.Linear(64, 10) с его 650 параметрами.
    assert expected >= 20 * (64 * 10 + 10)


def test_accuracy_meets_target_and_is_recomputed(run):
    ns = run.namespace
    assert isinstance(ns["test_accuracy"], float)
    assert run.lesson.meets_target(ns["test_accuracy"]) and ns["test_accuracy"] >= 0.96
    X_test, y_test = ns["X_test"].cpu(), ns["y_test"].cpu()
    assert X_test.shape == (450, 64) and y_test.shape == (450,)
    train, val, test = (set(ns[k].tolist()) for k in ("train_idx", "val_idx", "test_idx"))
    # Три непересекающиеся части; валидационная — пятая часть оставшихся после теста.
    assert not train & val and not train & test and not val & test
    assert train | val | test == set(range(1797))
    assert len(val) == math.ceil(0.2 * (1797 - 450))  # sklearn округляет вверх
    model = ns["model"].cpu()
    # Сообщённая точность — это точность в режиме eval().
    assert ns["test_accuracy"] == pytest.approx(accuracy(model, X_test, y_test), abs=1e-6)


def test_dropout_differs_in_train_and_is_deterministic_in_eval(run):
    ns = run.namespace
    assert ns["train_outputs_differ"] is True
    assert ns["eval_outputs_equal"] is True
    assert not torch.equal(ns["train_out_a"], ns["train_out_b"])
    assert torch.equal(ns["eval_out_a"], ns["eval_out_b"])

    # Повторяем опыт здесь: в train() два прохода различаются, в eval() — нет.
    model = ns["model"].cpu()
    sample = ns["X_test"][:20].cpu()
    with torch.random.fork_rng(), torch.no_grad():
        torch.manual_seed(123)
        model.train()
        first, second = model(sample), model(sample)
        model.eval()
        third, fourth = model(sample), model(sample)
    assert not torch.allclose(first, second)
    assert torch.equal(third, fourth)
    assert torch.allclose(third[:5], ns["eval_out_a"].cpu(), atol=1e-6)

    # Отдельный Dropout(0.5): обнулённые элементы и уцелевшие, умноженные на 1/(1-p) = 2.
    demo_train, demo_eval = ns["dropout_demo_train"], ns["dropout_demo_eval"]
    assert set(demo_train.tolist()) <= {0.0, 2.0}
    assert torch.equal(demo_eval, torch.ones(10))


def test_loss_fell_and_curves_recorded(run):
    ns = run.namespace
    losses, accuracies = ns["train_losses"], ns["val_accuracies"]
    assert len(losses) == len(accuracies) == ns["num_epochs"] > 0
    assert losses[-1] < 0.1 * losses[0]
    # Кривая построена по валидационной части, а не по тестовой.
    X_val, y_val = ns["X_val"].cpu(), ns["y_val"].cpu()
    assert accuracies[-1] == pytest.approx(accuracy(ns["model"].cpu(), X_val, y_val), abs=1e-6)
    assert len(ns["baseline_losses"]) == ns["baseline_epochs"]
    assert ns["baseline_losses"][-1] < 0.5 * ns["baseline_losses"][0]


def test_baseline_is_trained_exactly_like_lesson_1_7(run, quick_runs):
    ns, lesson_1_7 = run.namespace, quick_runs("1.7").namespace
    optimizer = ns["baseline_optimizer"]
    assert isinstance(optimizer, torch.optim.SGD)
    group = optimizer.param_groups[0]
    assert group["lr"] == lesson_1_7["lr"] and group["momentum"] == lesson_1_7["momentum"]
    assert ns["baseline_epochs"] == lesson_1_7["num_epochs"]
    assert ns["batch_size"] == lesson_1_7["batch_size"]


def test_mlp_beats_linear_baseline(run):
    ns = run.namespace
    baseline = ns["baseline_model"]
    assert isinstance(baseline, nn.Linear)
    X_test, y_test = ns["X_test"].cpu(), ns["y_test"].cpu()
    baseline_accuracy = accuracy(baseline.cpu(), X_test, y_test)
    assert ns["baseline_accuracy"] == pytest.approx(baseline_accuracy, abs=1e-6)
    assert ns["test_accuracy"] > baseline_accuracy
    assert ns["baseline_errors"] == round((1 - baseline_accuracy) * 450)
    assert ns["mlp_errors"] == round((1 - ns["test_accuracy"]) * 450)
    assert ns["mlp_errors"] < ns["baseline_errors"]


def test_dropout_changes_little_on_clean_labels(run):
    """Честный ответ урока: на чистых цифрах разница в пределах шума."""
    ns = run.namespace
    assert ns["no_dropout_model"][2].p == 0.0
    assert abs(ns["clean_gap"]) < 0.03
    assert ns["clean_gap"] == pytest.approx(
        ns["val_accuracies"][-1] - ns["no_dropout_val_accuracies"][-1]
    )


def test_dropout_fights_overfitting_on_noisy_labels(run):
    ns = run.namespace
    # Испорчено около 30 % обучающих меток, валидационные не тронуты.
    assert abs(ns["corrupted"].float().mean().item() - ns["noise_share"]) < 0.05
    changed = ns["noisy_labels"] != ns["y_train"]
    assert changed.any() and (changed & ~ns["corrupted"]).sum() == 0
    without, with_dropout = ns["noisy_runs"][0.0], ns["noisy_runs"][ns["noisy_dropout_p"]]
    # Без Dropout сеть запоминает ошибки: потери на обучении ниже, чем с Dropout,
    assert without[0][-1] < 0.6 * with_dropout[0][-1]
    # а accuracy на валидации после пика заметно падает — переобучение.
    assert ns["noisy_drop_without"] == pytest.approx(max(without[1]) - without[1][-1])
    assert ns["noisy_drop_without"] >= 0.05
    assert ns["noisy_drop_with"] < 0.5 * ns["noisy_drop_without"]
    # Итог: с Dropout в конце обучения ответов верно заметно больше.
    assert ns["noisy_final_gain"] == pytest.approx(with_dropout[1][-1] - without[1][-1])
    assert ns["noisy_final_gain"] >= 0.05


def test_figures_saved(run):
    for name in ("feedforward_training", "feedforward_mistakes"):
        figure = run.out / f"{name}.png"
        assert figure.is_file() and figure.stat().st_size > 10_000


def test_early_stopping_needs_a_copy_and_picks_the_best_epoch(run):
    ns = run.namespace
    assert ns["live_state_changed"] is True
    accuracies = ns["noisy_runs"][0.0][1]
    best = ns["noisy_best_epoch"]
    assert accuracies[best - 1] == max(accuracies)
    # Ранняя остановка на испорченных метках дала бы больше, чем последняя эпоха.
    assert max(accuracies) > accuracies[-1]
