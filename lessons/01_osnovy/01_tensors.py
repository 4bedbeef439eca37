"""
Тензоры
=======

Всё, с чем работает PyTorch, — входные данные, веса модели, градиенты, ответы сети —
хранится в тензорах. В этом уроке разберём, что такое тензор, создадим его 14 способами,
познакомимся с типами данных, увидим, как тензор делит память с массивом NumPy, сами
напишем строку выбора устройства и перенесём вычисления на видеокарту, если она есть.

Запуск: ``kurs run 1.1`` (или ``kurs run tensors``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------
# Зерно генератора случайных чисел задаём в самом начале: тогда «случайные» тензоры
# в вашем запуске совпадут с теми, что описаны в тексте. Строка с ``choose_device``
# выбирает устройство по параметру ``--device``; что она делает, разберём в конце урока.

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
# 4 — батч цветных картинок (картинка, канал цвета, высота, ширина). Батчем называют
# группу примеров, которую модель обрабатывает за один раз. Три свойства описывают
# любой тензор:
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
print(f"Сумма элементов матрицы: {matrix.sum()!r} -> .item() = {matrix_total!r}")
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
# Соберём 14 способов в один словарь и напечатаем форму, тип и устройство каждого
# результата. Обратите внимание:
#
# * ``torch.tensor`` определяет тип по данным: целые числа дают ``int64``;
# * ``from_numpy`` и ``as_tensor`` сохраняют тип массива, а NumPy по умолчанию
#   хранит дробные числа в ``float64`` — вдвое шире, чем ``float32`` в PyTorch;
# * ``arange`` не включает конец (как ``range``), ``linspace`` включает оба конца;
# * функции ``*_like`` берут форму, тип и устройство у образца;
# * ``empty`` только выделяет память и ничего в неё не пишет: значения в таком тензоре
#   не определены — что оказалось в этом участке памяти, то и лежит (например, остатки
#   уже удалённых тензоров этой же программы). Он нужен, когда все элементы всё равно
#   будут перезаписаны.

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
print(f"Способов: {len(created)}")
print(f"{'способ':<12} {'форма':<8} {'тип':<15} устройство")
for method, t in created.items():
    print(f"{method:<12} {str(tuple(t.shape)):<8} {str(t.dtype):<15} {t.device}")
print(f"arange(0, 10, 2) = {created['arange'].tolist()}")
print(f"linspace(0, 1, 5) = {created['linspace'].tolist()}")

# Чтобы чтение «мусора» не прошло незамеченным, в режиме воспроизводимости PyTorch
# заполняет память от empty значением NaN («не число»), а у целых — наибольшим числом типа.
torch.use_deterministic_algorithms(True)
empty_checked = torch.empty(2, 3)
torch.use_deterministic_algorithms(False)
print(f"empty в режиме use_deterministic_algorithms(True):\n{empty_checked}")

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
# ``.half()`` (это ``float16``), ``.long()``. При переводе в целый тип дробная часть
# отбрасывается (округление к нулю).

default_dtype = torch.get_default_dtype()
int_dtype = torch.tensor([1, 2, 3]).dtype
float_dtype = torch.tensor([1.0, 2.0]).dtype
mixed_dtype = torch.tensor([1, 2.5]).dtype
bool_dtype = torch.tensor([True, False]).dtype
truncated = torch.tensor([1.7, -1.7]).to(torch.int64)
print(f"По умолчанию: {default_dtype}; [1, 2, 3] -> {int_dtype}; [1.0, 2.0] -> {float_dtype}")
print(f"[1, 2.5] -> {mixed_dtype}; [True, False] -> {bool_dtype}")
print(f"[1.7, -1.7] -> int64: {truncated.tolist()}")

# %%
# Половинная точность: float16 и bfloat16
# ---------------------------------------
# Оба типа занимают 2 байта вместо 4: модель занимает вдвое меньше памяти. Видеокарты
# с тензорными ядрами ещё и перемножают такие матрицы в разы быстрее, чем float32:
# float16 — у NVIDIA начиная с Volta (2017), bfloat16 — начиная с Ampere (2020). На процессоре выигрыша в скорости обычно нет,
# а проигрыш бывает огромным: на двухъядерной машине, где писался курс, умножение
# матриц 1024×1024 в float16 и в bfloat16 шло в 60–120 раз дольше, чем в float32
# (``python bench/dtypes.py`` измерит это на вашей машине). Поэтому на CPU учат в float32.
#
# Цена двух байтов — точность и диапазон. У ``float16`` около трёх значащих десятичных
# цифр, и самое большое число — 65504: 70000 превращается в бесконечность. ``bfloat16``
# ещё грубее (около двух цифр), зато диапазон у него как у float32, и такие переполнения
# ему не грозят. Поэтому для обучения в половинной точности чаще берут bfloat16 — там,
# где видеокарта его поддерживает.

weights = torch.randn(1000)
weights_half = weights.to(torch.float16)
half_error = (weights - weights_half.float()).abs().max().item()
tenth_in_half = torch.tensor(0.1).to(torch.float16).item()
tenth_in_bfloat = torch.tensor(0.1).to(torch.bfloat16).item()
big_in_half = torch.tensor(70000.0).half().item()
big_in_bfloat = torch.tensor(70000.0).bfloat16().item()
print(
    f"Байт на элемент: float32 — {weights.element_size()}, float16 — {weights_half.element_size()}"
)
print(f"Тип исходного тензора не изменился: {weights.dtype}")
print(f"Наибольшая ошибка float16 на 1000 весах: {half_error:.5f}")
print(f"0.1 в float16 — {tenth_in_half!r}, в bfloat16 — {tenth_in_bfloat!r}")
print(f"70000 в float16 — {big_in_half}, в bfloat16 — {big_in_bfloat}")

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

ones_tensor = torch.ones(3)
ones_array = ones_tensor.numpy()
ones_tensor.add_(1)  # меняем тензор на месте (подробнее в уроке 1.2)
print(f"Тензор после add_(1): {ones_tensor.tolist()}, его .numpy(): {ones_array.tolist()}")

# %%
# Выбор устройства своими руками
# ------------------------------
# В своих программах устройство выбирают одной строкой. Модуль ``torch.accelerator``
# (PyTorch 2.6 и новее) говорит обо всех ускорителях одинаково: видеокарта NVIDIA —
# это ``cuda``, Mac с Apple Silicon — ``mps``. ``is_available()`` отвечает, есть ли
# ускоритель прямо сейчас, а ``current_accelerator()`` — для какого ускорителя *собран*
# PyTorch: сборка с CUDA на машине без видеокарты всё равно ответит ``cuda``. Поэтому
# сначала спрашиваем ``is_available()``:

my_device = (
    torch.accelerator.current_accelerator()
    if torch.accelerator.is_available()
    else torch.device("cpu")
)
built_for = torch.accelerator.current_accelerator()
print(f"Ускоритель доступен: {torch.accelerator.is_available()}; сборка для: {built_for}")
print(f"Своя строка выбрала: {my_device}")

# %%
# Уроки курса делают то же самое, но слушаются параметра ``--device``: ``kurs run 1.1
# --device cpu`` заставляет считать на процессоре, даже если видеокарта есть (так тесты
# курса получают одинаковые числа на любой машине), ``--device cuda`` или ``mps``
# требует ускоритель и останавливается с понятной фразой, если его нет, а ``auto`` (по
# умолчанию) берёт cuda, затем mps, затем cpu. Выбранное устройство урок печатает
# первой строкой («Устройство: …»), а дальше везде пользуется переменной ``device``.
#
# Видеокарта считает в своей памяти, поэтому перенос ``x.to(device)`` на GPU — это
# копирование: у копии свой адрес, и связь с массивом NumPy рвётся. По той же причине
# у тензора на GPU нет ``.numpy()``: сначала ``.cpu()``, потом ``.numpy()``. Если
# ``device`` — это CPU, ``.to(device)`` ничего не копирует и возвращает тот же тензор.
# Копию создаёт и смена типа: данные приходится переписать в новом формате. Тензор
# можно сразу создать на нужном устройстве аргументом ``device=``.

on_device = shared.to(device)
moved_shares_memory = on_device.data_ptr() == shared.data_ptr()
as_float64 = shared.to(torch.float64)
created_on_device = torch.zeros(2, 3, device=device)
print(f"Тензор на устройстве: {on_device.device}; память общая с массивом: {moved_shares_memory}")
print(f"После .to(float64) память общая: {np.shares_memory(array, as_float64.numpy())}")
print(f"torch.zeros(2, 3, device=device) лежит на {created_on_device.device}")
back_on_cpu = on_device.cpu().numpy()  # путь с GPU в NumPy

# %%
# «NumPy на видеокарте»
# ---------------------
# Большинство функций PyTorch названы так же, как в NumPy; ось называется ``dim``
# (многие функции понимают и ``axis``). Посчитаем одно выражение обеими библиотеками:
# NumPy — на процессоре в ``float64``, PyTorch — на выбранном устройстве в ``float32``.
# Именно float32 — рабочий тип нейросетей: на игровых видеокартах NVIDIA float64
# считается в десятки раз медленнее (у GeForce RTX 30-й и 40-й серий — в 64 раза по
# паспорту); быстрый float64 есть лишь у части серверных карт (вроде A100 и H100 —
# вдвое медленнее float32), у других серверных он так же медленный. Расхождение с NumPy будет порядка 10⁻⁶: это
# точность float32, а не ошибка. Тот же расчёт в float64 совпадает почти до последнего знака.

rng = np.random.default_rng(0)
a_np = rng.standard_normal((matrix_size, matrix_size))
numpy_result = np.tanh(a_np @ a_np.T / matrix_size).sum(axis=1)

a_torch = torch.tensor(a_np, dtype=torch.float32, device=device)
torch_result = torch.tanh(a_torch @ a_torch.T / matrix_size).sum(dim=1)
max_difference = np.abs(numpy_result - torch_result.cpu().double().numpy()).max()
a_torch64 = torch.from_numpy(a_np).to(device)
torch_result64 = torch.tanh(a_torch64 @ a_torch64.T / matrix_size).sum(dim=1)
max_difference64 = np.abs(numpy_result - torch_result64.cpu().numpy()).max()
print(f"Матрица {matrix_size}×{matrix_size}, устройство {a_torch.device}")
print(f"Расхождение с NumPy: float32 — {max_difference:.1e}, float64 — {max_difference64:.1e}")

# %%
# Как выглядят тензоры
# --------------------
# Матрицу удобно показать картинкой: цвет клетки — значение элемента. Единичная
# матрица — диагональ, ``rand`` — шум, ``arange`` после ``reshape`` — плавный переход
# цвета по строкам.

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
