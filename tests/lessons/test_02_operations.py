"""Урок 1.2 (lessons/01_osnovy/02_operations.py): операции, память видов, broadcasting, matmul, einsum.

Всё, что урок утверждает, пересчитывается здесь через NumPy или чистый Python.
"""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("1.2")


def storage_ptr(t):
    return t.untyped_storage().data_ptr()


def test_elementwise_arithmetic(ns):
    a, b = ns["a"].numpy(), ns["b"].numpy()
    expected = {"a + b": a + b, "a - b": a - b, "a * b": a * b, "a / b": a / b, "a ** 2": a**2}
    assert set(ns["arithmetic"]) == set(expected)
    for expression, value in expected.items():
        np.testing.assert_allclose(ns["arithmetic"][expression].numpy(), value, err_msg=expression)
    assert ns["true_division"].dtype == torch.float32
    assert ns["true_division"].tolist() == [7 / 2, 8 / 2]
    assert ns["floor_division"].dtype == torch.int64
    assert ns["floor_division"].tolist() == [7 // 2, 8 // 2]


def test_inplace_keeps_storage_and_rebinding_does_not(ns):
    after_inplace = (1 + 5) * 2
    assert ns["alias_after_iadd"] == [after_inplace + 1] * 3
    assert ns["alias"].tolist() == [after_inplace + 1] * 3
    assert ns["x"].tolist() == [after_inplace + 2] * 3
    assert ns["inplace_same_storage"] is True
    assert ns["outofplace_same_storage"] is False
    # Тензор под вторым именем — тот самый, что был создан первым: адрес не менялся.
    assert ns["alias"].data_ptr() == ns["ptr_before"]
    assert ns["x"].data_ptr() != ns["ptr_before"]


def test_slices_are_views_fancy_indexing_copies(ns):
    grid, column, picked = ns["grid"], ns["column"], ns["picked_rows"]
    reference = np.arange(12).reshape(3, 4)
    np.testing.assert_array_equal(grid.numpy(), reference)
    np.testing.assert_array_equal(column.numpy(), reference[:, 2])
    np.testing.assert_array_equal(picked.numpy(), reference[[0, 2]])
    assert storage_ptr(column) == storage_ptr(grid)
    assert storage_ptr(picked) != storage_ptr(grid)
    # Булева маска — тоже копия.
    masked = grid[grid > 5]
    masked[0] = -3
    assert (grid > -3).all()
    # Проверяем на деле: запись в срез видна в grid, запись в копию — нет.
    column[0] = -1
    picked[0, 0] = -2
    assert grid[0, 2].item() == -1 and grid[0, 0].item() == 0


def test_boolean_mask(ns):
    values = ns["values"].numpy()
    assert ns["mask"].dtype == torch.bool
    np.testing.assert_array_equal(ns["positive"].numpy(), values[values > 0])
    np.testing.assert_array_equal(ns["clipped"].numpy(), np.maximum(values, 0))
    assert (ns["positive"] > 0).all()


def test_view_shares_memory_and_transposed_view_fails(ns):
    flat, as_matrix, transposed = ns["flat"], ns["as_matrix"], ns["transposed"]
    assert ns["view_shares_storage"] is True
    assert as_matrix.data_ptr() == flat.data_ptr()
    # Урок записал 100 через вид — значит, изменился и исходный тензор.
    assert flat.tolist() == [100, 1, 2, 3, 4, 5]
    assert as_matrix.stride() == (3, 1) and transposed.stride() == (1, 3)
    assert not transposed.is_contiguous()
    assert ns["view_error"] is not None and "view" in ns["view_error"]
    with pytest.raises(RuntimeError):
        transposed.view(6)
    # А добавить измерение длины 1 или разбить измерение можно и у транспонированного.
    unit = ns["with_unit_dim"]
    assert unit.shape == (3, 1, 2) and storage_ptr(unit) == storage_ptr(flat)
    np.testing.assert_array_equal(unit.numpy(), transposed.numpy()[:, None, :])
    split, grid = ns["split_view"], ns["grid"]
    assert split.stride() == (2, 1, 4) and storage_ptr(split) == storage_ptr(grid)
    np.testing.assert_array_equal(split.numpy(), grid.numpy().T.reshape(2, 2, 3))

    expected = np.array(flat.tolist()).reshape(2, 3).T.reshape(-1)
    np.testing.assert_array_equal(ns["reshaped"].numpy(), expected)
    np.testing.assert_array_equal(ns["fixed"].numpy(), expected)
    assert ns["reshape_copied"] is True
    assert storage_ptr(ns["reshaped"]) != storage_ptr(flat)
    assert storage_ptr(ns["reshape_of_contiguous"]) == storage_ptr(flat)


@settings(max_examples=30, deadline=None)
@given(a1=st.integers(1, 3), a2=st.integers(1, 3), b=st.integers(2, 4))
def test_view_rule_on_transposed_tensor(a1, a2, b):
    # Транспонированная матрица (a, b), a = a1·a2: делить измерение и добавлять
    # измерение длины 1 можно всегда, слить два измерения в одно — нельзя.
    a = a1 * a2
    t = torch.arange(a * b).reshape(b, a).T
    assert storage_ptr(t.view(a1, a2, b)) == storage_ptr(t)
    assert storage_ptr(t.view(a, 1, b)) == storage_ptr(t)
    np.testing.assert_array_equal(t.view(a1, a2, b).numpy(), t.numpy().reshape(a1, a2, b))
    if a > 1:
        with pytest.raises(RuntimeError, match="view size is not compatible"):
            t.view(a * b)


def test_broadcasting_stretches_with_zero_stride(ns):
    stretched, source = ns["stretched"], ns["row_values"]
    assert stretched.shape == (4, 3) and stretched.stride() == (0, 1)
    assert storage_ptr(stretched) == storage_ptr(source)
    assert torch.broadcast_to(source, (4, 3)).stride() == (0, 1)


def test_permute_unsqueeze_squeeze(ns):
    nchw, nhwc = ns["batch_nchw"], ns["batch_nhwc"]
    np.testing.assert_array_equal(nhwc.numpy(), np.transpose(nchw.numpy(), (0, 2, 3, 1)))
    assert storage_ptr(nhwc) == storage_ptr(nchw) and not nhwc.is_contiguous()
    vec = ns["vec"].numpy()
    np.testing.assert_array_equal(ns["as_row"].numpy(), vec[np.newaxis, :])
    np.testing.assert_array_equal(ns["as_column"].numpy(), vec[:, np.newaxis])
    assert ns["squeezed"].shape == (3, 2)


def test_cat_and_stack_match_numpy(ns):
    top, bottom = ns["top"].numpy(), ns["bottom"].numpy()
    glued = ns["glued"]
    np.testing.assert_array_equal(glued["cat(dim=0)"].numpy(), np.concatenate([top, bottom], 0))
    np.testing.assert_array_equal(glued["cat(dim=1)"].numpy(), np.concatenate([top, bottom], 1))
    np.testing.assert_array_equal(glued["stack(dim=0)"].numpy(), np.stack([top, bottom], 0))
    # cat: формы совпадают во всех измерениях, кроме склеиваемого; stack — во всех.
    with pytest.raises(RuntimeError):
        torch.cat([torch.zeros(2, 3), torch.zeros(2, 4)], dim=0)
    assert torch.cat([torch.zeros(2, 3), torch.zeros(2, 4)], dim=1).shape == (2, 7)
    with pytest.raises(RuntimeError):
        torch.stack([torch.zeros(2, 3), torch.zeros(3, 3)])


def test_broadcasting_examples_match_numpy(ns):
    assert len(ns["broadcast_results"]) >= 3
    for left, right, total in ns["broadcast_results"]:
        expected = left.numpy() * right.numpy()
        assert total.shape == expected.shape
        np.testing.assert_array_equal(total.numpy(), expected)
        assert ns["broadcast_shape"](left.shape, right.shape) == expected.shape
    table = ns["broadcast_results"][0][2]
    np.testing.assert_array_equal(table.numpy(), np.outer(np.arange(1, 4), np.arange(1, 5)))

    data = ns["data"].numpy()
    np.testing.assert_allclose(ns["centered"].numpy(), data - data.mean(axis=0), atol=1e-6)
    np.testing.assert_allclose(ns["centered"].mean(dim=0).numpy(), 0, atol=1e-6)
    np.testing.assert_array_equal(
        ns["row_shift"].numpy(), np.ones((2, 3)) + np.array([[10.0], [20.0]])
    )


def test_incompatible_shapes_fail(ns):
    assert ns["broadcast_error"] is not None
    with pytest.raises(ValueError):
        np.ones((2, 3)) + np.ones(2)
    with pytest.raises(ValueError):
        ns["broadcast_shape"]((2, 3), (2,))
    assert ns["keepdim_error"] is not None


shapes = st.lists(st.integers(min_value=0, max_value=3), min_size=0, max_size=4).map(tuple)


@settings(max_examples=40, deadline=None)
@given(shape_a=shapes, shape_b=shapes)
def test_hand_broadcast_rule_agrees_with_numpy_and_torch(ns, shape_a, shape_b):
    broadcast_shape = ns["broadcast_shape"]
    try:
        expected = np.broadcast_shapes(shape_a, shape_b)
    except ValueError:
        with pytest.raises(ValueError):
            broadcast_shape(shape_a, shape_b)
        with pytest.raises(RuntimeError):
            torch.zeros(shape_a) + torch.zeros(shape_b)
        return
    assert broadcast_shape(shape_a, shape_b) == expected
    assert tuple(torch.broadcast_shapes(shape_a, shape_b)) == expected


def test_reductions_match_numpy(ns):
    scores = ns["scores"].numpy()
    np.testing.assert_allclose(ns["column_sums"].numpy(), scores.sum(axis=0))
    np.testing.assert_allclose(ns["row_means"].numpy(), scores.mean(axis=1))
    assert ns["row_sums"].shape == (3, 1)
    np.testing.assert_allclose(ns["row_sums"].numpy(), scores.sum(axis=1, keepdims=True))
    np.testing.assert_allclose(ns["row_shares"].sum(dim=1).numpy(), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(ns["row_max"].values.numpy(), scores.max(axis=1))
    np.testing.assert_array_equal(ns["row_max"].indices.numpy(), scores.argmax(axis=1))
    np.testing.assert_array_equal(ns["best_column"].numpy(), scores.argmax(axis=1))


def test_matmul_against_numpy_and_hand_loop(ns):
    A = ns["A"].cpu().double().numpy()
    B = ns["B"].cpu().double().numpy()
    assert A.shape == (ns["loop_size"], ns["loop_size"])
    np.testing.assert_allclose(ns["product"].cpu().numpy(), A @ B, atol=1e-4)
    np.testing.assert_allclose(ns["by_hand"].cpu().numpy(), A @ B, atol=1e-4)
    assert ns["matmul_error"] < 1e-4

    batch = ns["batch"].cpu().numpy()
    weights = ns["batch_weights"].cpu().numpy()
    np.testing.assert_allclose(ns["batched"].cpu().numpy(), np.matmul(batch, weights), atol=1e-5)
    np.testing.assert_allclose(
        ns["shared_weight"].cpu().numpy(), np.matmul(batch, weights[0]), atol=1e-5
    )
    assert ns["batched"].shape == (5, 3, 2)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 4),
    k=st.integers(1, 4),
    m=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_hand_matmul_is_exact_on_integers(ns, n, k, m, seed):
    rng = np.random.default_rng(seed)
    left = rng.integers(-9, 10, size=(n, k))
    right = rng.integers(-9, 10, size=(k, m))
    assert ns["matmul_by_hand"](left.tolist(), right.tolist()) == (left @ right).tolist()


def test_einsum_patterns(ns):
    checks = ns["einsum_checks"]
    assert {"ij,jk->ik", "ii->", "bij,bjk->bik", "i,j->ij"} <= set(checks)
    A, B = ns["A"].cpu().double().numpy(), ns["B"].cpu().double().numpy()
    square = ns["square"].cpu().double().numpy()
    u, v = ns["u"].cpu().double().numpy(), ns["v"].cpu().double().numpy()
    batch = ns["batch"].cpu().double().numpy()
    weights = ns["batch_weights"].cpu().double().numpy()
    expected = {
        "ij,jk->ik": A @ B,
        "ii->": np.trace(square),
        "bij,bjk->bik": np.matmul(batch, weights),
        "i,j->ij": np.outer(u, v),
    }
    for pattern, value in expected.items():
        result, reference = checks[pattern]
        np.testing.assert_allclose(result.cpu().numpy(), value, atol=1e-4, err_msg=pattern)
        np.testing.assert_allclose(reference.cpu().numpy(), value, atol=1e-4, err_msg=pattern)


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=2, max_size=4).map(tuple))
def test_view_of_contiguous_shares_and_reshape_of_transposed_copies(shape):
    t = torch.arange(int(np.prod(shape))).reshape(shape)
    flat_view = t.view(-1)
    assert storage_ptr(flat_view) == storage_ptr(t)
    swapped = t.transpose(0, -1)
    reshaped = swapped.reshape(-1)
    np.testing.assert_array_equal(reshaped.numpy(), np.swapaxes(t.numpy(), 0, -1).reshape(-1))
    if swapped.is_contiguous():
        assert storage_ptr(reshaped) == storage_ptr(t)
    else:
        assert storage_ptr(reshaped) != storage_ptr(t)
