"""Урок 1.6 (lessons/01_osnovy/06_linear_regression.py): SGD находит то же, что и МНК."""

import torch


def test_sgd_matches_least_squares_and_true_parameters(quick_runs):
    run = quick_runs("1.6")
    ns = run.namespace
    # Сломанный цикл обучения (нет zero_grad, неверный знак шага) даёт расхождение ≫ 0.02.
    assert run.metric is not None and run.lesson.meets_target(run.metric)
    assert abs(ns["learned_w"] - ns["exact_w"]) < 0.02
    assert abs(ns["learned_b"] - ns["exact_b"]) < 0.02
    # При шуме 0.3 и 200 точках МНК восстанавливает истинные параметры с точностью ~0.05.
    assert abs(ns["learned_w"] - ns["true_w"]) < 0.1
    assert abs(ns["learned_b"] - ns["true_b"]) < 0.1


def test_independent_least_squares_check(quick_runs):
    """Решение МНК в уроке сверяем с нормальными уравнениями, посчитанными здесь."""
    ns = quick_runs("linear-regression").namespace
    X = torch.cat([ns["X"].cpu(), torch.ones(len(ns["X"]), 1)], dim=1).double()
    y = ns["y"].cpu().double()
    w, b = torch.linalg.solve(X.T @ X, X.T @ y).flatten().tolist()
    assert abs(w - ns["exact_w"]) < 1e-4 and abs(b - ns["exact_b"]) < 1e-4


def test_loss_falls_and_figure_saved(quick_runs):
    run = quick_runs("1.6")
    losses = run.namespace["losses"]
    assert len(losses) == run.namespace["num_epochs"] > 0
    assert losses[-1] < 0.2 * losses[0]
    figure = run.out / "linear_regression.png"
    assert figure.is_file() and figure.stat().st_size > 10_000
