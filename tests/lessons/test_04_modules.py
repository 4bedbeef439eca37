"""Урок 1.4 (lessons/01_osnovy/04_modules.py): модули, Dropout, слои, потери, оптимизаторы."""

import math

import pytest
import torch


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("1.4")


def test_momentum_figure_saved(run):
    assert (run.out / "momentum.png").stat().st_size > 10_000


def test_super_init_first_and_call_runs_hooks(ns):
    class Broken(torch.nn.Module):
        def __init__(self):
            self.layer = torch.nn.Linear(2, 2)  # до super().__init__()

    with pytest.raises(AttributeError, match="before Module.__init__"):
        Broken()
    # model(x) запускает хуки, model.forward(x) — нет.
    model, calls = ns["model"], []
    handle = model.register_forward_hook(lambda module, inputs, output: calls.append(1))
    try:
        x = torch.randn(2, ns["in_features"])
        model(x)
        model.forward(x)
    finally:
        handle.remove()
    assert calls == [1]


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
    # Среднее сохраняется: 1/(1 − p) · (1 − p) = 1 (5 стандартных отклонений).
    assert abs(ns["dropped_mean"] - 1) < 5 * math.sqrt(p / (1 - p) / n)
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

    # «Без активаций стопка Linear — один Linear»: W₂(W₁x + b₁) + b₂ = (W₂W₁)x + (W₂b₁ + b₂).
    torch.manual_seed(3)
    first, second = torch.nn.Linear(4, 5), torch.nn.Linear(5, 3)
    x = torch.randn(6, 4)
    merged = torch.nn.Linear(4, 3)
    with torch.no_grad():
        merged.weight.copy_(second.weight @ first.weight)
        merged.bias.copy_(second.weight @ first.bias + second.bias)
        assert torch.allclose(second(first(x)), merged(x), atol=1e-6)

    z = ns["z"].tolist()
    acts = {name: values.tolist() for name, values in ns["activations"].items()}
    assert acts["ReLU"] == pytest.approx([max(0.0, v) for v in z])
    assert acts["Sigmoid"] == pytest.approx([1 / (1 + math.exp(-v)) for v in z], abs=1e-6)
    assert acts["Tanh"] == pytest.approx([math.tanh(v) for v in z], abs=1e-6)

    weight = ns["embedding"].weight.detach()
    assert torch.equal(ns["token_vectors"].detach(), weight[ns["tokens"]])
    assert [n for n, _ in ns["embedding"].named_parameters()] == ["weight"]  # таблица обучается


def test_batch_norm_formula_affine_and_running_stats(ns):
    features, normalized = ns["features"], ns["normalized"].detach()
    assert torch.allclose(normalized.mean(0), torch.zeros(3), atol=1e-4)
    assert torch.allclose(ns["bn_std"], torch.ones(3), atol=1e-3)
    bn = ns["batch_norm"]
    # y = γ·(x − μ)/√(σ² + ε) + β, σ² — смещённая дисперсия батча, ε = 1e-5; γ = 1, β = 0.
    assert bn.eps == 1e-5 and bn.momentum == 0.1
    assert torch.equal(bn.weight.detach(), torch.ones(3))
    assert torch.equal(bn.bias.detach(), torch.zeros(3))
    mu, var = features.mean(0), features.var(0, unbiased=False)
    assert torch.allclose(normalized, (features - mu) / torch.sqrt(var + 1e-5), atol=1e-5)
    # running_mean ← 0.9·0 + 0.1·μ; running_var ← 0.9·1 + 0.1·(несмещённая дисперсия).
    assert torch.allclose(bn.running_mean, 0.1 * features.mean(0), atol=1e-4)
    assert torch.allclose(bn.running_var, 0.9 + 0.1 * features.var(0), atol=1e-3)
    assert [n for n, _ in bn.named_parameters()] == ["weight", "bias"]
    assert set(bn.state_dict()) - {n for n, _ in bn.named_parameters()} == {
        "running_mean",
        "running_var",
        "num_batches_tracked",
    }
    # γ и β действительно масштабируют и сдвигают; в eval — скользящие средние.
    fresh = torch.nn.BatchNorm1d(3)
    with torch.no_grad():
        fresh.weight.fill_(2.0)
        fresh.bias.fill_(3.0)
    assert torch.allclose(fresh(features), 2 * normalized + 3, atol=1e-4)
    fresh.eval()
    expected = (features - fresh.running_mean) / torch.sqrt(fresh.running_var + 1e-5) * 2 + 3
    assert torch.allclose(fresh(features), expected, atol=1e-4)
    # Оптимизатор двигает только параметры, буферы — нет.
    optimizer = torch.optim.SGD(fresh.parameters(), lr=0.1)
    fresh.train()
    before = fresh.running_mean.clone()
    fresh(features).pow(2).sum().backward()
    optimizer.step()
    assert not torch.equal(fresh.weight.detach(), torch.full((3,), 2.0))
    assert torch.allclose(fresh.running_mean, 0.9 * before + 0.1 * features.mean(0), atol=1e-5)


def test_sequential_is_the_same_network(ns):
    model, sequential = ns["model"], ns["sequential"]
    renamed = dict(zip(sequential.state_dict(), model.state_dict().values(), strict=True))
    sequential.load_state_dict(renamed)
    model.eval()
    sequential.eval()
    x = torch.randn(5, ns["in_features"])
    assert torch.allclose(model(x), sequential(x))


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


def test_cross_entropy_subtracts_the_maximum():
    # Формула «в лоб» переполняется на больших логитах, CrossEntropyLoss — нет.
    logits = torch.tensor([[1000.0, 0.0, -1000.0]])
    naive = -(logits - logits.exp().sum(dim=1, keepdim=True).log())[0, 0]
    assert not torch.isfinite(naive)
    loss = torch.nn.CrossEntropyLoss()(logits, torch.tensor([0]))
    assert torch.isfinite(loss) and loss.item() == pytest.approx(0.0, abs=1e-6)


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


def test_sgd_in_the_ravine(ns):
    path = ns["trajectories"]["SGD"]
    lr, steps = ns["ravine_lr"], ns["num_steps"]
    assert path.shape == (steps + 1, 2)
    # Вдоль оврага расстояние каждый шаг умножается на 1 − 0.5·lr = 0.98 («всего 2 %»).
    assert 1 - 0.5 * lr == pytest.approx(0.98)
    for k in (0, 1, 10, steps):
        assert path[k, 0].item() == pytest.approx(-4.0 * (1 - 0.5 * lr) ** k, rel=1e-4)
    # Поперёк оврага w₂ каждый шаг меняет знак: множитель 1 − 40·lr = −0.6.
    signs = torch.sign(path[:8, 1])
    assert (signs[1:] * signs[:-1] == -1).all()


def test_momentum_formula_and_speed(ns):
    assert ns["momentum_matches_formula"]
    lr, mu, steps = ns["ravine_lr"], ns["momentum"], ns["num_steps"]
    curvature, start = ns["ravine_curvature"].cpu(), ns["ravine_start"].cpu()
    # Своя реализация формулы: v ← μ·v + ∇L, w ← w − lr·v.
    w, v = start.double(), torch.zeros(2, dtype=torch.float64)
    for _ in range(steps):
        v = mu * v + curvature.double() * w
        w = w - lr * v
    path = ns["trajectories"][f"SGD, momentum = {mu}"]
    assert torch.allclose(path[-1].double(), w, atol=1e-5)

    def loss(point):
        return 0.5 * (curvature * point**2).sum().item()

    sgd_loss = loss(ns["trajectories"]["SGD"][-1])
    momentum_loss = loss(path[-1])
    assert momentum_loss < sgd_loss / 10  # «намного быстрее»
    assert path[:, 0].max() > 0.5  # проскакивает дно: w₁ уходит за минимум


def test_momentum_step_grows_to_one_over_one_minus_mu(ns):
    mu, lr = ns["momentum"], 0.01
    w = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, momentum=mu)
    previous = 0.0
    for _ in range(200):
        optimizer.zero_grad()
        (3.0 * w).sum().backward()  # постоянный градиент 3
        optimizer.step()
        step, previous = previous - w.item(), w.item()
    assert 1 / (1 - mu) == pytest.approx(10)
    assert step == pytest.approx(lr * 3.0 / (1 - mu), rel=1e-3)
