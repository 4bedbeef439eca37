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


def test_broken_loops_miss_the_least_squares_answer(quick_runs):
    """Текст урока: без zero_grad или с неверным знаком шага числа расходятся с МНК."""
    ns = quick_runs("1.6").namespace
    X, y = ns["X"].cpu(), ns["y"].cpu()

    def train(zero_grad: bool, sign: float) -> float:
        torch.manual_seed(0)
        model = torch.nn.Linear(1, 1)
        for _ in range(ns["num_epochs"]):
            loss = torch.nn.functional.mse_loss(model(X), y)
            if zero_grad:
                model.zero_grad()
            loss.backward()
            with torch.no_grad():
                for parameter in model.parameters():
                    parameter -= sign * ns["lr"] * parameter.grad
        w, b = model.weight.item(), model.bias.item()
        return max(abs(w - ns["exact_w"]), abs(b - ns["exact_b"]))

    assert train(zero_grad=True, sign=1.0) < 0.02  # верный цикл — как в уроке
    assert not train(zero_grad=False, sign=1.0) < 0.02  # забыли zero_grad (или nan)
    assert not train(zero_grad=True, sign=-1.0) < 0.02  # шаг по градиенту, а не против


def test_loss_stops_near_noise_variance(quick_runs):
    ns = quick_runs("1.6").namespace
    # Полный режим сходится к МНК; остаток MSE ≈ σ² = 0.09 (на конечной выборке ±30 %).
    assert abs(ns["losses"][-1] - ns["noise_std"] ** 2) < 0.3 * ns["noise_std"] ** 2


def test_loss_falls_and_figure_saved(quick_runs):
    run = quick_runs("1.6")
    losses = run.namespace["losses"]
    assert len(losses) == run.namespace["num_epochs"] > 0
    assert losses[-1] < 0.2 * losses[0]
    figure = run.out / "linear_regression.png"
    assert figure.is_file() and figure.stat().st_size > 10_000
