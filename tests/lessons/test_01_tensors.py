"""Урок 1.1 (lessons/01_osnovy/01_tensors.py): способы создать тензор, типы, общая память с NumPy."""

import re
from pathlib import Path

import numpy as np
import pytest
import torch

from kurs.errors import KursError
from kurs.helpers import choose_device, resolve_device

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("1.1")


def test_tensor_properties_and_scalar(ns):
    assert (ns["scalar"].ndim, ns["vector"].ndim, ns["matrix"].ndim, ns["images"].ndim) == (
        0,
        1,
        2,
        4,
    )
    assert ns["scalar"].shape == torch.Size([])
    assert isinstance(ns["scalar_value"], float) and ns["scalar_value"] == 3.5
    # Сумму считаем по спискам Python, а не тензором.
    rows = ns["matrix"].tolist()
    assert rows == [[1, 2, 3], [4, 5, 6]]
    assert isinstance(ns["matrix_total"], int) and ns["matrix_total"] == sum(map(sum, rows))
    assert ns["ragged_error"] is not None and "length" in ns["ragged_error"]


# Ожидаемые форма и тип для каждого способа создания.
EXPECTED = {
    "tensor": ((2, 3), torch.int64),
    "from_numpy": ((2, 2), torch.float64),
    "as_tensor": ((2, 2), torch.float64),
    "zeros": ((2, 3), torch.float32),
    "ones": ((2, 3), torch.float32),
    "full": ((2, 3), torch.float32),
    "rand": ((2, 3), torch.float32),
    "randn": ((2, 3), torch.float32),
    "arange": ((5,), torch.int64),
    "linspace": ((5,), torch.float32),
    "eye": ((3, 3), torch.float32),
    "zeros_like": ((2, 3), torch.float32),
    "randn_like": ((2, 3), torch.float32),
    "empty": ((2, 3), torch.float32),
}


def test_fourteen_creation_methods_with_expected_shape_and_dtype(ns):
    created = ns["created"]
    # Урок и README называют одно и то же число способов — столько, сколько урок печатает.
    assert len(created) == 14 == len(EXPECTED)
    assert set(EXPECTED) == set(created)
    assert "14 способами" in ns["__doc__"]
    readme_line = next(
        line
        for line in README.read_text(encoding="utf-8").splitlines()
        if "01_tensors.py" in line and line.startswith("| 1.1")
    )
    assert re.search(r"\b14 способов\b", readme_line), readme_line
    for name, (shape, dtype) in EXPECTED.items():
        t = created[name]
        assert isinstance(t, torch.Tensor), name
        assert tuple(t.shape) == shape, f"{name}: форма {tuple(t.shape)}, ожидалась {shape}"
        assert t.dtype == dtype, f"{name}: тип {t.dtype}, ожидался {dtype}"
        assert t.device.type == "cpu"


def test_creation_values(ns):
    created = ns["created"]
    assert torch.equal(created["zeros"], torch.tensor(np.zeros((2, 3), dtype=np.float32)))
    assert torch.equal(created["ones"], torch.tensor(np.ones((2, 3), dtype=np.float32)))
    assert (created["full"] == 7.0).all()
    assert created["arange"].tolist() == list(range(0, 10, 2))
    np.testing.assert_allclose(created["linspace"].numpy(), np.linspace(0, 1, 5), rtol=1e-6)
    assert torch.equal(created["eye"], torch.tensor(np.eye(3, dtype=np.float32)))
    np.testing.assert_array_equal(created["from_numpy"].numpy(), ns["np_array"])
    rand = created["rand"]
    assert ((rand >= 0) & (rand < 1)).all()
    template = ns["template"]
    for name in ("zeros_like", "randn_like"):
        assert created[name].shape == template.shape and created[name].dtype == template.dtype
    # randn: среднее 0, дисперсия 1 (на большой выборке, 6 стандартных ошибок).
    sample = torch.randn(200_000, generator=torch.Generator().manual_seed(1))
    assert abs(sample.mean().item()) < 6 / 200_000**0.5
    assert abs(sample.var().item() - 1) < 6 * (2 / 200_000) ** 0.5


def test_empty_is_nan_in_deterministic_mode(ns):
    # Значения empty не определены; в режиме воспроизводимости PyTorch пишет туда NaN.
    assert ns["empty_checked"].shape == (2, 3) and torch.isnan(ns["empty_checked"]).all()
    assert not torch.are_deterministic_algorithms_enabled()  # урок вернул режим обратно
    torch.use_deterministic_algorithms(True)
    try:
        ints = torch.empty(4, dtype=torch.int64)
    finally:
        torch.use_deterministic_algorithms(False)
    assert (ints == torch.iinfo(torch.int64).max).all()


def test_seed_makes_random_tensors_reproducible(ns):
    # Урок задаёт зерно 0 в начале; rand и randn — первые случайные тензоры после него.
    torch.manual_seed(0)
    assert torch.equal(torch.rand(2, 3), ns["created"]["rand"])
    assert torch.equal(torch.randn(2, 3), ns["created"]["randn"])
    assert ns["same_random"] is True


def test_dtypes_and_conversion(ns):
    assert ns["default_dtype"] == torch.float32
    assert ns["int_dtype"] == torch.int64
    assert ns["float_dtype"] == torch.float32
    assert ns["mixed_dtype"] == torch.float32
    assert ns["bool_dtype"] == torch.bool
    assert ns["truncated"].tolist() == np.trunc([1.7, -1.7]).astype(int).tolist()


def test_half_precision_types(ns):
    assert ns["weights"].dtype == torch.float32  # .to не меняет исходный тензор
    assert ns["weights_half"].dtype == torch.float16
    assert ns["weights_half"].element_size() * 2 == ns["weights"].element_size() == 4
    assert torch.tensor(1.0).half().dtype == torch.float16
    assert torch.tensor(1.0, dtype=torch.bfloat16).element_size() == 2
    assert ns["tenth_in_half"] == float(np.float16(0.1)) != 0.1
    # Ошибка float16 — не больше половины шага сетки у самого большого по модулю веса.
    biggest = float(ns["weights"].abs().max())
    half_step = float(np.spacing(np.float16(biggest))) / 2
    assert 0 < ns["half_error"] <= half_step
    # «Около трёх значащих цифр» у float16, «около двух» у bfloat16 (мантисса 11 и 8 бит).
    assert np.finfo(np.float16).precision == 3
    assert (
        2
        <= -np.log10(torch.finfo(torch.bfloat16).eps)
        < 3
        <= -np.log10(torch.finfo(torch.float16).eps)
        < 4
    )
    assert abs(ns["tenth_in_bfloat"] - 0.1) > abs(ns["tenth_in_half"] - 0.1)
    # Диапазон: 65504 — предел float16; bfloat16 покрывает тот же диапазон, что float32.
    assert torch.finfo(torch.float16).max == 65504
    assert ns["big_in_half"] == float("inf")
    assert ns["big_in_bfloat"] == pytest.approx(70000, rel=0.01)
    assert torch.finfo(torch.bfloat16).max == pytest.approx(
        torch.finfo(torch.float32).max, rel=0.01
    )


def test_numpy_bridge_values_seen_by_the_lesson(ns):
    assert ns["seen_by_shared"] == 100.0
    assert ns["seen_by_as_tensor"] == 100.0
    assert ns["seen_by_converted"] == 0.0
    assert ns["seen_by_copy"] == 0.0
    assert ns["seen_by_array"] == -5.0
    assert ns["ones_array"].tolist() == [2.0, 2.0, 2.0]


def test_numpy_bridge_really_shares_memory(ns):
    array, shared, shared_too = ns["array"], ns["shared"], ns["shared_too"]
    copied, converted = ns["copied"], ns["converted"]
    assert shared.data_ptr() == array.ctypes.data == shared_too.data_ptr()
    assert np.shares_memory(array, shared.numpy())
    assert not np.shares_memory(array, copied.numpy())
    assert not np.shares_memory(array, converted.numpy())

    # Меняем массив здесь, в тесте: общие тензоры видят изменение, копии — нет.
    copied_before = copied[0, 1].item()
    array[0, 1] = 42.0
    assert shared[0, 1].item() == 42.0 and shared_too[0, 1].item() == 42.0
    assert copied[0, 1].item() == copied_before
    assert converted[0, 1].item() == copied_before

    # И в обратную сторону: меняем тензор — меняется массив.
    shared[0, 2] = -7.0
    assert array[0, 2] == -7.0

    ones_tensor, ones_array = ns["ones_tensor"], ns["ones_array"]
    ones_tensor.mul_(3)
    np.testing.assert_array_equal(ones_array, ones_tensor.numpy())


def test_device_line_written_by_hand(ns):
    available = torch.accelerator.is_available()
    assert ns["built_for"] == torch.accelerator.current_accelerator()
    assert ns["my_device"].type == (ns["built_for"].type if available else "cpu")
    # Своя строка выбирает то же, что курс при --device auto.
    assert ns["my_device"].type == resolve_device("auto")
    # current_accelerator() говорит о сборке, а не о наличии устройства.
    if not available:
        assert torch.accelerator.current_accelerator(check_available=True) is None
    # --device cuda без видеокарты — понятная ошибка, а не молчаливый переход на CPU.
    if not torch.cuda.is_available():
        with pytest.raises(KursError, match="cuda"):
            resolve_device("cuda")
    assert resolve_device("cpu") == "cpu"
    if not torch.backends.mps.is_available():
        with pytest.raises(KursError, match="mps"):
            resolve_device("mps")


def test_lesson_prints_the_chosen_device_first(capsys):
    assert choose_device("cpu") == torch.device("cpu")
    assert capsys.readouterr().out.splitlines()[0] == "Устройство: cpu"


@pytest.mark.skipif(not torch.cuda.is_available(), reason="нет видеокарты CUDA")
def test_gpu_tensor_is_a_copy_without_numpy(ns):
    array = np.arange(6, dtype=np.float32).reshape(2, 3)
    on_gpu = torch.from_numpy(array).to("cuda")
    array[0, 0] = 100.0
    assert on_gpu[0, 0].item() == 0.0  # копия: изменение массива не видно
    with pytest.raises(TypeError):
        on_gpu.numpy()
    np.testing.assert_array_equal(on_gpu.cpu().numpy()[0, 1:], array[0, 1:])


def test_device_move_and_dtype_change(ns):
    device = ns["device"]
    assert ns["on_device"].device.type == device.type
    assert ns["created_on_device"].device.type == device.type
    # На CPU .to(device) возвращает тот же тензор; перенос на GPU — всегда копия.
    assert ns["moved_shares_memory"] == (device.type == "cpu")
    if device.type == "cpu":
        assert ns["on_device"] is ns["shared"]
    # Смена типа всегда копирует.
    assert ns["as_float64"].dtype == torch.float64
    assert not np.shares_memory(ns["array"], ns["as_float64"].numpy())


def test_numpy_and_torch_give_the_same_result(ns):
    a = ns["a_np"]
    size = ns["matrix_size"]
    assert a.shape == (size, size) and a.dtype == np.float64
    # Та же формула, записанная по-другому: сумма по строкам через einsum.
    expected = np.tanh(np.einsum("ik,jk->ij", a, a) / size).sum(axis=1)
    np.testing.assert_allclose(ns["numpy_result"], expected, rtol=1e-10, atol=1e-10)
    # float32: расхождение «порядка 10⁻⁶» — больше, чем у float64, но не ошибка.
    assert ns["torch_result"].dtype == torch.float32
    assert 1e-8 < ns["max_difference"] < 1e-4
    assert ns["torch_result64"].dtype == torch.float64
    np.testing.assert_allclose(ns["torch_result64"].cpu().numpy(), expected, rtol=1e-10, atol=1e-10)
    assert ns["max_difference64"] < 1e-9
    # «Многие функции понимают и axis».
    t = torch.from_numpy(a[:3, :4])
    assert torch.equal(torch.sum(t, axis=0), t.sum(dim=0))


def test_figure_saved(run):
    figure = run.out / "tensors.png"
    assert figure.is_file() and figure.stat().st_size > 10_000
    assert run.namespace["figure_path"] == figure
