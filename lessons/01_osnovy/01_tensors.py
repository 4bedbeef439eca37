"""
Тензоры
=======

Всё, с чем работает PyTorch, — входные данные, веса модели, градиенты, ответы сети —
хранится в тензорах. В этом уроке разберём, что такое тензор, научимся создавать его
десятком способов, познакомимся с типами данных, увидим, как тензор делит память с
массивом NumPy, и перенесём вычисления на видеокарту, если она есть.

Запуск: ``kurs run 1.1`` (или ``kurs run tensors``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------
# Зерно генератора случайных чисел задаём в самом начале: тогда «случайные» тензоры
# в вашем запуске совпадут с теми, что описаны в тексте.

import matplotlib.pyplot as plt
import numpy as np
import torch

from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Размер матриц, на которых в конце урока сравним NumPy и PyTorch
matrix_size = 200 if opts.quick else 800

# %%
# Что такое тензор
# ----------------
# Тензор — это n-мерный массив чисел одного типа, почти то же, что ``ndarray`` в NumPy.
# Число измерений ``ndim`` бывает любым: 0 — одно число, 1 — вектор, 2 — матрица,
# 4 — пачка цветных картинок (картинка, канал цвета, высота, ширина). Три свойства
# описывают любой тензор:
#
# * ``shape`` — форма: длина по каждому измерению;
# * ``dtype`` — тип элементов: ``float32``, ``int64``, ``bool`` и другие;
# * ``device`` — где лежат данные: в оперативной памяти (``cpu``) или в памяти
#   видеокарты (``cuda``).

scalar = torch.tensor(3.5)
vector = torch.tensor([1.0, 2.0, 3.0])
matrix = torch.tensor([[1, 2, 3], [4, 5, 6]])  # список списков: каждый внутренний — строка
images = torch.zeros(8, 3, 32, 32)
for label, t in [("число", scalar), ("вектор", vector), ("матрица", matrix), ("картинки", images)]:
    print(f"{label:<9} ndim={t.ndim}  shape={tuple(t.shape)}  dtype={t.dtype}  device={t.device}")

# %%
# У нуль-мерного тензора форма пустая, а достать из него обычное число Python
# помогает ``.item()``. Так поступают, например, со значением функции потерь, чтобы
# напечатать его или сложить в список. Сумма всех элементов — тоже 0-d тензор.

scalar_value = scalar.item()
matrix_total = matrix.sum().item()
print(f"Форма числа: {scalar.shape}, .item() -> {scalar_value!r} ({type(scalar_value).__name__})")
print(f"Сумма элементов матрицы: {matrix.sum()} -> .item() = {matrix_total}")
print(f"Обратно в списки Python: {matrix.tolist()}")

# Тензор прямоугольный: строки разной длины в него не превратить.
ragged_error = None
try:
    torch.tensor([[1, 2, 3], [4, 5]])
except ValueError as error:
    ragged_error = str(error)
print(f"Строки разной длины -> ValueError: {ragged_error}")

# %%
# Способы создать тензор
# ----------------------
# Соберём все способы в один словарь и напечатаем форму, тип и устройство каждого
# результата. Обратите внимание:
#
# * ``torch.tensor`` определяет тип по данным: целые числа дают ``int64``;
# * ``from_numpy`` и ``as_tensor`` сохраняют тип массива, а NumPy по умолчанию
#   хранит дробные числа в ``float64`` — вдвое шире, чем ``float32`` в PyTorch;
# * ``arange`` не включает конец (как ``range``), ``linspace`` включает оба конца;
# * функции ``*_like`` берут форму, тип и устройство у образца;
# * ``empty`` только выделяет память и ничего в неё не пишет. В таком тензоре лежит
#   «мусор» — то, что оставила в памяти прошлая программа. Это самый быстрый способ,
#   когда все элементы всё равно будут перезаписаны.

np_array = np.array([[1.0, 2.0], [3.0, 4.0]])
template = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])

created = {
    "tensor": torch.tensor([[1, 2, 3], [4, 5, 6]]),
    "from_numpy": torch.from_numpy(np_array),
    "as_tensor": torch.as_tensor(np_array),
    "zeros": torch.zeros(2, 3),
    "ones": torch.ones(2, 3),
    "full": torch.full((2, 3), 7.0),
    "rand": torch.rand(2, 3),  # равномерно на [0, 1)
    "randn": torch.randn(2, 3),  # нормальное распределение: среднее 0, дисперсия 1
    "arange": torch.arange(0, 10, 2),
    "linspace": torch.linspace(0, 1, 5),
    "eye": torch.eye(3),
    "zeros_like": torch.zeros_like(template),
    "randn_like": torch.randn_like(template),
    "empty": torch.empty(2, 3),
}
print(f"{'способ':<12} {'форма':<8} {'тип':<15} устройство")
for method, t in created.items():
    print(f"{method:<12} {str(tuple(t.shape)):<8} {str(t.dtype):<15} {t.device}")
print(f"arange(0, 10, 2) = {created['arange'].tolist()}")
print(f"linspace(0, 1, 5) = {created['linspace'].tolist()}")
print(f"empty(2, 3) — значения не заданы, у вас они будут другими:\n{created['empty']}")

# %%
# Случайные числа повторяемы: снова зададим то же зерно и получим те же значения,
# что лежат в ``created["rand"]``.

torch.manual_seed(0)
rand_again = torch.rand(2, 3)
same_random = torch.equal(rand_again, created["rand"])
print(f"После того же зерна rand дал те же числа: {same_random}")

# %%
# Типы данных и их преобразование
# -------------------------------
# Тип по умолчанию для дробных чисел — ``float32``; для целых — ``int64``. Одного
# дробного числа в списке хватает, чтобы весь тензор стал дробным. Метод ``.to(тип)``
# возвращает *новый* тензор, исходный не меняется. Короткие имена: ``.float()``,
# ``.half()``, ``.long()``.
#
# Зачем нужен ``float16``: элемент занимает 2 байта вместо 4, поэтому большая модель
# помещается в память и считается быстрее. Цена — точность: у ``float16`` примерно три
# значащих десятичных цифры, и даже 0.1 хранится заметно неточно. При переводе в целый
# тип дробная часть отбрасывается (округление к нулю).

default_dtype = torch.get_default_dtype()
int_dtype = torch.tensor([1, 2, 3]).dtype
float_dtype = torch.tensor([1.0, 2.0]).dtype
mixed_dtype = torch.tensor([1, 2.5]).dtype
bool_dtype = torch.tensor([True, False]).dtype
print(f"По умолчанию: {default_dtype}; [1, 2, 3] -> {int_dtype}; [1.0, 2.0] -> {float_dtype}")
print(f"[1, 2.5] -> {mixed_dtype}; [True, False] -> {bool_dtype}")

weights = torch.randn(1000)
weights_half = weights.to(torch.float16)
half_error = (weights - weights_half.float()).abs().max().item()
tenth_in_half = torch.tensor(0.1).to(torch.float16).item()
truncated = torch.tensor([1.7, -1.7]).to(torch.int64)
print(
    f"Байт на элемент: float32 — {weights.element_size()}, float16 — {weights_half.element_size()}"
)
print(f"Тип исходного тензора не изменился: {weights.dtype}")
print(f"Наибольшая ошибка float16 на 1000 весах: {half_error:.5f}")
print(f"0.1 в float16 — это {tenth_in_half!r}")
print(f"[1.7, -1.7] -> int64: {truncated.tolist()}")

# %%
# Мост в NumPy: общая память
# --------------------------
# ``torch.from_numpy(массив)`` не копирует данные: тензор и массив смотрят в одну и ту же
# память, и изменение одного сразу видно в другом. Так же ведёт себя ``.numpy()``
# у тензора на CPU и ``torch.as_tensor`` — если тип и устройство менять не нужно.
# ``torch.tensor(массив)`` всегда делает копию. Общая память экономит время и место, но
# о ней нужно помнить: иначе данные «сами собой» меняются там, где их не трогали.

array = np.arange(6, dtype=np.float32).reshape(2, 3)
shared = torch.from_numpy(array)
shared_too = torch.as_tensor(array)
converted = torch.as_tensor(array, dtype=torch.float64)  # другой тип — значит копия
copied = torch.tensor(array)

array[0, 0] = 100.0  # меняем массив...
seen_by_shared = shared[0, 0].item()
seen_by_as_tensor = shared_too[0, 0].item()
seen_by_converted = converted[0, 0].item()
seen_by_copy = copied[0, 0].item()
print(f"array[0, 0] = 100 -> from_numpy: {seen_by_shared}, as_tensor: {seen_by_as_tensor}")
print(f"                  -> as_tensor(float64): {seen_by_converted}, tensor: {seen_by_copy}")

shared[1, 2] = -5.0  # ...и наоборот, меняем тензор
seen_by_array = array[1, 2].item()
print(f"shared[1, 2] = -5 -> array[1, 2] = {seen_by_array}")
print(f"Память у массива и тензора общая: {np.shares_memory(shared.numpy(), array)}")

ones_tensor = torch.ones(3)
ones_array = ones_tensor.numpy()
ones_tensor.add_(1)  # меняем тензор на месте (подробнее в уроке 1.2)
print(f"Тензор после add_(1): {ones_tensor.tolist()}, его .numpy(): {ones_array.tolist()}")
print(f"np.shares_memory: {np.shares_memory(ones_array, ones_tensor.numpy())}")

# %%
# Тензоры на видеокарте
# ---------------------
# Видеокарта считает в своей памяти, поэтому перенос ``x.to(device)`` на GPU — это
# копирование через шину. У копии свой адрес, и связь с массивом NumPy рвётся. По той
# же причине у тензора на GPU нет ``.numpy()``: сначала ``.cpu()``, потом ``.numpy()``.
# Если ``device`` — это CPU, ``.to(device)`` ничего не копирует и возвращает тот же
# тензор. Копию создаёт и смена типа: данные приходится переписать в новом формате.
# Тензор можно сразу создать на нужном устройстве аргументом ``device=``.

on_device = shared.to(device)
moved_shares_memory = on_device.data_ptr() == shared.data_ptr()
as_float64 = shared.to(torch.float64)
created_on_device = torch.zeros(2, 3, device=device)
print(f"Тензор на устройстве: {on_device.device}; память общая с массивом: {moved_shares_memory}")
if device.type == "cpu":
    print("Устройство — CPU, поэтому .to(device) вернул тот же самый тензор.")
print(f"После .to(float64) память общая: {np.shares_memory(array, as_float64.numpy())}")
print(f"torch.zeros(2, 3, device=device) лежит на {created_on_device.device}")
back_on_cpu = on_device.cpu().numpy()  # путь с GPU в NumPy

# %%
# «NumPy на видеокарте»
# ---------------------
# Большинство функций PyTorch названы так же, как в NumPy, только вместо ``axis``
# пишут ``dim``. Посчитаем одно и то же выражение обеими библиотеками: NumPy — всегда
# на процессоре, PyTorch — на выбранном устройстве. Массив в ``float64``, поэтому
# ответы совпадают почти до последнего знака.

rng = np.random.default_rng(0)
a_np = rng.standard_normal((matrix_size, matrix_size))
numpy_result = np.tanh(a_np @ a_np.T / matrix_size).sum(axis=1)

a_torch = torch.from_numpy(a_np).to(device)
torch_result = torch.tanh(a_torch @ a_torch.T / matrix_size).sum(dim=1)
max_difference = np.abs(numpy_result - torch_result.cpu().numpy()).max()
print(f"Матрица {matrix_size}×{matrix_size}, тип {torch_result.dtype}, устройство {a_torch.device}")
print(f"Наибольшее расхождение NumPy и PyTorch: {max_difference:.2e}")

# %%
# Как выглядят тензоры
# --------------------
# Матрицу удобно показать картинкой: цвет клетки — значение элемента. Единичная
# матрица — диагональ, ``rand`` — шум, ``arange`` после ``reshape`` — плавный градиент
# по строкам.

pictures = {
    "torch.eye(8)": torch.eye(8),
    "torch.rand(8, 8)": torch.rand(8, 8),
    "torch.arange(64).reshape(8, 8)": torch.arange(64).reshape(8, 8),
}
fig, axes = plt.subplots(1, 3, figsize=(13, 4), layout="constrained")
for ax, (title, t) in zip(axes, pictures.items(), strict=True):
    image = ax.imshow(t.numpy(), cmap="viridis")
    ax.set_title(title)
    ax.set_xlabel("столбец")
    ax.set_ylabel("строка")
    fig.colorbar(image, ax=ax, shrink=0.8, label="значение")
fig.suptitle("Матрицы 8×8 как картинки")
figure_path = save_figure(fig, "tensors")

# %%
# Что дальше
# ----------
# Мы умеем создавать тензоры и знаем их свойства. В уроке 1.2 научимся с ними
# считать: арифметика, индексы, смена формы, broadcasting, матричное умножение.
