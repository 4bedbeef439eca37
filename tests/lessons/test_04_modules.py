"""Урок 1.4 (lessons/01_osnovy/04_modules.py): модули, Dropout, слои, потери, оптимизаторы."""

import math

import pytest
import torch


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("1.4")


def test_optimizer_figure_saved(run):
    assert (run.out / "optimizers.png").stat().st_size > 10_000


def test_custom_module_parameters_and_state_dict(ns):
    model = ns["model"]
    assert isinstance(model, torch.nn.Module) and type(model).__name__ == "TinyNet"
    n_in, n_hidden, n_out = ns["in_features"], ns["hidden_size"], ns["num_classes"]
    expected = (n_in * n_hidden + n_hidden) + (n_hidden * n_out + n_out)
    assert ns["num_params"] == expected == sum(p.numel() for p in model.parameters())
    assert ns["sequential_params"] == expected
    names = [name for name, _ in model.named_parameters()]
    assert names == ["hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert ns["state_keys"] == names  # у Dropout нет состояния
    assert model(torch.randn(7, n_in)).shape == (7, n_out)


def test_dropout_train_and_eval(ns):
    p = ns["p_drop"]
    ones = ns["ones"]
    dropped = ns["dropped_train"]
    n = ones.numel()
    # Доля нулей — биномиальная; 5 стандартных отклонений.
    assert abs(ns["zero_fraction"] - p) < 5 * math.sqrt(p * (1 - p) / n)
    assert abs((dropped == 0).float().mean().item() - p) < 0.03
    survivors = dropped[dropped != 0]
    assert torch.allclose(survivors, torch.full_like(survivors, 1 / (1 - p)))
    assert ns["survivor_values"] == pytest.approx([1 / (1 - p)])
    assert torch.equal(ns["dropped_eval"], ones)
    assert ns["train_outputs_differ"] and ns["eval_outputs_equal"]
    assert not ns["model"].training and not ns["model"].dropout.training


def test_layers(ns):
    conv, images = ns["conv"], ns["images"]
    k, s, pad = conv.kernel_size[0], conv.stride[0], conv.padding[0]
    side = (images.shape[2] + 2 * pad - k) // s + 1
    assert ns["conv_shape"] == (images.shape[0], conv.out_channels, side, side) == (2, 8, 14, 14)

    z = ns["z"].tolist()
    acts = {name: values.tolist() for name, values in ns["activations"].items()}
    assert acts["ReLU"] == pytest.approx([max(0.0, v) for v in z])
    assert acts["Sigmoid"] == pytest.approx([1 / (1 + math.exp(-v)) for v in z], abs=1e-6)
    assert acts["Tanh"] == pytest.approx([math.tanh(v) for v in z], abs=1e-6)

    weight = ns["embedding"].weight.detach()
    assert torch.equal(ns["token_vectors"].detach(), weight[ns["tokens"]])

    features, normalized = ns["features"], ns["normalized"].detach()
    assert torch.allclose(normalized.mean(0), torch.zeros(3), atol=1e-4)
    assert torch.allclose(normalized.std(0, unbiased=False), torch.ones(3), atol=1e-3)
    bn = ns["batch_norm"]
    assert torch.allclose(bn.running_mean, 0.1 * features.mean(0), atol=1e-4)
    assert torch.allclose(bn.running_var, 0.9 + 0.1 * features.var(0), atol=1e-3)
    assert [n for n, _ in bn.named_parameters()] == ["weight", "bias"]


def _mean(values):
    return sum(values) / len(values)


def test_losses_match_hand_formulas(ns):
    checks = ns["loss_checks"]
    assert set(checks) == {"MSELoss", "L1Loss", "CrossEntropyLoss", "BCEWithLogitsLoss", "NLLLoss"}
    for name, (lib_value, hand_value) in checks.items():
        assert lib_value == pytest.approx(hand_value, rel=1e-5, abs=1e-6), name

    # Свои формулы на чистом Python по входам урока.
    pred, tgt = ns["predictions"].tolist(), ns["targets"].tolist()
    mse = _mean([(p - t) ** 2 for p, t in zip(pred, tgt, strict=True)])
    l1 = _mean([abs(p - t) for p, t in zip(pred, tgt, strict=True)])
    ce = _mean(
        [
            math.log(sum(math.exp(v) for v in row)) - row[cls]
            for row, cls in zip(ns["logits"].tolist(), ns["classes"].tolist(), strict=True)
        ]
    )
    bce = _mean(
        [
            math.log(1 + math.exp(-zz)) if y == 1 else math.log(1 + math.exp(zz))
            for zz, y in zip(
                ns["binary_logits"].tolist(), ns["binary_targets"].tolist(), strict=True
            )
        ]
    )
    expected = {"MSELoss": mse, "L1Loss": l1, "CrossEntropyLoss": ce, "BCEWithLogitsLoss": bce}
    expected["NLLLoss"] = ce  # NLLLoss от log_softmax — та же перекрёстная энтропия
    for name, value in expected.items():
        assert checks[name][0] == pytest.approx(value, rel=1e-5), name
        assert checks[name][1] == pytest.approx(value, rel=1e-5), name
    assert ns["ce_value"] == pytest.approx(ns["ce_via_nll"], rel=1e-6)
    assert ns["ce_value"] == pytest.approx(ce, rel=1e-5)


def test_sgd_step(ns):
    start, curvature, lr = ns["start"], ns["curvature"], ns["lr"]
    grad = (curvature * start).double()  # производная 0.5·s·p² — это s·p
    assert torch.allclose(ns["sgd_grad"].double(), grad)
    assert torch.allclose(ns["sgd_after"].double(), start.double() - lr * grad, atol=1e-6)
    assert ns["sgd_matches_formula"]


def test_adam_first_step_moves_each_coordinate_by_lr(ns):
    start, curvature, lr = ns["start"], ns["curvature"], ns["lr"]
    g = (curvature * start).double()
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    m_hat = (1 - beta1) * g / (1 - beta1)
    v_hat = (1 - beta2) * g**2 / (1 - beta2)
    expected = -lr * m_hat / (v_hat.sqrt() + eps)
    shift = ns["adam_shift"].double()
    assert torch.allclose(shift, expected, atol=1e-6)
    assert torch.allclose(shift, -lr * g.sign(), atol=1e-5)
    # А SGD по тем же градиентам сдвигает координаты на величины разных порядков.
    sgd_shift = (ns["sgd_after"] - start).abs()
    assert sgd_shift.max() / sgd_shift.min() > 1000


def test_both_optimizers_reach_minimum(ns):
    lr, target = ns["lr"], ns["target"]
    paths = ns["trajectories"]
    assert set(paths) == {"SGD", "Adam"}
    for name, path in paths.items():
        assert len(path) == ns["num_steps"] + 1 and path[0] == 0.0
        assert abs(path[-1] - target) < 1e-2, name
    # У SGD на (p - 3)² расстояние до минимума каждый шаг умножается на 1 - 2·lr.
    for k in range(10):
        assert paths["SGD"][k] == pytest.approx(target * (1 - (1 - 2 * lr) ** k), abs=1e-5)
    # Adam проскакивает минимум, SGD — нет.
    assert max(paths["Adam"]) > target + 0.05
    assert max(paths["SGD"]) <= target + 1e-5
