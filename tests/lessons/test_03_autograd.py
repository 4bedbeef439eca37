"""Урок 1.3 (lessons/01_osnovy/03_autograd.py): граф, цепное правило, накопление, define-by-run."""

import math

import pytest
import torch


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("1.3")


def _a(b, c):
    return (b + c) * (c + 2)


def test_forward_values_and_named_nodes(run):
    ns = run.namespace
    assert (ns["b"].item(), ns["c"].item()) == (1.0, 2.0)
    assert (ns["d"].item(), ns["e"].item(), ns["a"].item()) == (3.0, 4.0, 12.0)
    assert ns["d"].grad_fn.name() == "AddBackward0"
    assert ns["e"].grad_fn.name() == "AddBackward0"
    assert ns["a"].grad_fn.name() == "MulBackward0"


def test_hand_gradients_match_autograd_and_finite_differences(run):
    ns = run.namespace
    b, c = ns["b"].item(), ns["c"].item()
    h = 1e-4
    fd_b = (_a(b + h, c) - _a(b - h, c)) / (2 * h)
    fd_c = (_a(b, c + h) - _a(b, c - h)) / (2 * h)
    # Своя формула: ∂a/∂b = c + 2, ∂a/∂c = (c + 2) + (b + c).
    assert (c + 2, (c + 2) + (b + c)) == (4.0, 7.0)
    assert ns["hand_grad_b"] == pytest.approx(fd_b, abs=1e-6) == c + 2
    assert ns["hand_grad_c"] == pytest.approx(fd_c, abs=1e-6) == 2 * c + b + 2
    assert ns["autograd_grad_b"] == pytest.approx(fd_b, abs=1e-6)
    assert ns["autograd_grad_c"] == pytest.approx(fd_c, abs=1e-6)
    assert ns["b"].grad.item() == 4.0 and ns["c"].grad.item() == 7.0


def test_graph_walk_finds_both_additions_multiplication_and_leaves(run):
    names = run.namespace["node_names"]
    assert names.count("AddBackward0") == 2
    assert names.count("MulBackward0") == 1
    assert "b" in names and "c" in names
    # Константа 2 — не узел; лист c — один узел, в который ведут два ребра.
    assert len(names) == 5
    labels, edges = run.namespace["labels"], run.namespace["edges"]
    into = {labels[child]: 0 for _, child in edges}
    for _, child in edges:
        into[labels[child]] += 1
    assert into["c"] == 2 and into["b"] == 1
    assert len(edges) == 5


def test_graph_walk_function_on_another_expression(run):
    """Функция обхода из урока — на выражении, которого в уроке нет."""
    x = torch.tensor(2.0, requires_grad=True)
    y = torch.tensor(3.0, requires_grad=True)
    z = (x * y).sin() - y
    labels, depths, _ = run.namespace["walk_graph"](z, {id(x): "x", id(y): "y"})
    names = sorted(labels.values())
    assert names == sorted(["SubBackward0", "SinBackward0", "MulBackward0", "x", "y"])
    by_name = {name: depths[node] for node, name in labels.items()}
    assert by_name["SubBackward0"] == 0 and by_name["x"] == 3 and by_name["y"] == 3


def test_graph_figure_saved(run):
    figure = run.out / "autograd_graph.png"
    assert figure.is_file() and figure.stat().st_size > 10_000


def test_variable_is_just_a_tensor(run):
    plain, legacy = run.namespace["legacy_plain"], run.namespace["legacy"]
    assert type(plain) is torch.Tensor and type(legacy) is torch.Tensor
    # Variable(t) не включает requires_grad сама — только по явной просьбе.
    assert not plain.requires_grad
    assert legacy.requires_grad and legacy.is_leaf
    assert torch.equal(legacy.detach(), torch.ones(2)) and torch.equal(plain, torch.ones(2))


def test_gradients_accumulate_and_saved_values_are_freed(run):
    ns = run.namespace
    x0 = ns["x"].item()
    assert ns["grad_after_one"] == 2 * x0
    assert ns["grad_after_two"] == 2 * (2 * x0)
    assert ns["x"].grad is None  # урок обнулил градиент
    assert "second time" in ns["second_backward_error"]
    # Сложение ничего не сохраняет: два backward без retain_graph проходят.
    assert ns["grad_plus_one_twice"] == 2.0


def test_second_backward_rule():
    x = torch.tensor(3.0, requires_grad=True)
    y = x + 1
    for _ in range(3):
        y.backward()
    assert x.grad.item() == 3.0
    y = x**2
    y.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


def test_grad_only_on_leaves_unless_retained():
    b = torch.tensor(1.0, requires_grad=True)
    d = b * 3
    d.backward(retain_graph=True)
    with pytest.warns(UserWarning, match="not a leaf"):
        assert d.grad is None
    kept = b * 3
    kept.retain_grad()
    kept.backward()
    assert kept.grad.item() == 1.0


def test_constant_input_is_none_in_next_functions(run):
    e = run.namespace["e"]  # e = c + 2
    (c_node, _), (constant_node, _) = e.grad_fn.next_functions
    assert type(c_node).__name__ == "AccumulateGrad" and constant_node is None


def test_no_grad_and_detach(run):
    ns = run.namespace
    assert ns["w"].requires_grad
    assert not ns["w_doubled"].requires_grad
    assert torch.equal(ns["w_doubled"], ns["w"].detach() * 2)
    assert not ns["w_detached"].requires_grad and ns["shares_storage"]
    assert ns["w_detached"].untyped_storage().data_ptr() == ns["w"].untyped_storage().data_ptr()


def test_numpy_needs_detach(run):
    ns = run.namespace
    assert "detach().numpy()" in ns["numpy_error"]
    assert (ns["w_numpy"] == ns["w"].detach().cpu().numpy()).all()


def test_inplace_change_of_saved_tensor_is_caught(run):
    ns = run.namespace
    assert "modified by an inplace operation" in ns["inplace_error"]
    assert "modified by an inplace operation" in ns["detach_error"]


def test_data_silently_corrupts_gradient(run):
    ns = run.namespace
    z = ns["z"].detach()
    true_grad = torch.sigmoid(z) * (1 - torch.sigmoid(z))
    assert torch.allclose(ns["true_grad"], true_grad)
    # .data: ошибки нет, а градиент — нули вместо σ·(1 − σ).
    assert torch.equal(ns["data_grad"], torch.zeros(3))
    assert (true_grad > 0.1).all()


def test_backward_without_argument_needs_one_element(run):
    ns = run.namespace
    u = ns["u"].detach()
    assert torch.equal(ns["one_element_grad"], 2 * u)
    assert "scalar outputs" in ns["vector_backward_error"]
    for shape in [(), (1,), (1, 1), (1, 1, 1)]:
        t = torch.tensor(2.0, requires_grad=True)
        (t * t).reshape(shape).backward()
        assert t.grad.item() == 4.0


def test_vector_jacobian_product(run):
    ns = run.namespace
    u, v = ns["u"].detach(), ns["v"]
    assert torch.allclose(ns["vector_grad"], 2 * v * u)


def _doublings(norm):
    """Сколько удвоений нужно, чтобы норма стала ≥ 1000 (считаем в double)."""
    k = 0
    while norm * 2**k < 1000:
        k += 1
    return k


def test_dynamic_graph_gradient_is_two_to_the_k(run):
    results = run.namespace["dynamic_results"]
    assert len(results) == run.namespace["num_random_inputs"]
    counts = set()
    for x, steps, grad in results:
        k = _doublings(x.double().norm().item())
        assert steps == k
        assert torch.equal(grad, torch.full((3,), 2.0**k))
        counts.add(k)
    # Разные входы прошли через разное число операций — граф действительно динамический.
    assert len(counts) >= 3
    assert run.namespace["dynamic_all_match"]


@pytest.mark.parametrize("norm", [0.3, 7.0, 123.0, 5000.0])
def test_dynamic_function_on_fresh_inputs(run, norm):
    direction = torch.tensor([3.0, -4.0, 12.0]) / 13.0
    x = (direction * norm).requires_grad_()
    y, steps = run.namespace["double_until_large"](x)
    y.sum().backward()
    k = _doublings(norm)
    assert k == max(0, math.ceil(math.log2(1000 / norm)))
    assert steps == k
    assert torch.equal(x.grad, torch.full((3,), 2.0**k))


def test_gradient_descent_finds_the_minimum(ns):
    # Каждый шаг сокращает расстояние до 3 в (1 − 2·lr) = 0.8 раза: 3·0.8⁵⁰ ≈ 4·10⁻⁵.
    assert abs(ns["descent_result"] - 3.0) < 1e-4
    assert ns["descent_result"] == pytest.approx(3 - 3 * 0.8**50, abs=1e-5)
