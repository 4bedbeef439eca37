"""
Операции над тензорами
======================

Арифметика и операции «на месте», индексы и маски, смена формы и её связь с памятью,
склейка тензоров, правило broadcasting, суммы и максимумы по осям, матричное умножение
и ``torch.einsum`` — всё, из чего потом будут складываться модели.

Запуск: ``kurs run 1.2`` (или ``kurs run operations``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------

import torch

from kurs.helpers import choose_device, options

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Размер матриц, которые перемножим вручную циклами Python, чтобы проверить оператор @
loop_size = 12 if opts.quick else 40

# %%
# Арифметика поэлементно
# ----------------------
# Знаки ``+ - * / **`` работают с тензорами одинаковой формы поэлементно: первый
# элемент с первым, второй со вторым. ``*`` — это именно поэлементное произведение, а
# не матричное (для него есть ``@``, см. ниже). Деление ``/`` всегда дробное, даже для
# целых тензоров; целочисленное — ``//``.

a = torch.tensor([1.0, 2.0, 3.0, 4.0])
b = torch.tensor([2.0, 4.0, 8.0, 16.0])
arithmetic = {"a + b": a + b, "a - b": a - b, "a * b": a * b, "a / b": a / b, "a ** 2": a**2}
for expression, value in arithmetic.items():
    print(f"{expression:<7} = {value.tolist()}")
true_division = torch.tensor([7, 8]) / 2
floor_division = torch.tensor([7, 8]) // 2
print(f"[7, 8] / 2 = {true_division.tolist()}, а [7, 8] // 2 = {floor_division.tolist()}")

# %%
# Операции на месте
# -----------------
# Метод с подчёркиванием на конце (``add_``, ``mul_``, ``zero_``) меняет сам тензор:
# данные остаются по тому же адресу (``data_ptr``). Это экономит память, но изменение
# видят все, у кого есть ссылка на тензор. ``x += 1`` — тоже операция на месте, а
# ``x = x + 1`` создаёт новый тензор. (В уроке 1.3 увидим, когда autograd запрещает
# менять тензор на месте.)

x = torch.ones(3)
ptr_before = x.data_ptr()
x.add_(5)
x.mul_(2)
inplace_same_storage = x.data_ptr() == ptr_before
print(f"После add_(5) и mul_(2): {x.tolist()}, адрес тот же: {inplace_same_storage}")

alias = x  # второе имя того же тензора
x += 1
alias_after_iadd = alias.tolist()
x = x + 1
outofplace_same_storage = x.data_ptr() == ptr_before
print(f"После x += 1 второе имя видит {alias_after_iadd}; после x = x + 1 x = {x.tolist()},")
print(f"а второе имя — {alias.tolist()}. Новый x на старом месте? {outofplace_same_storage}")

# %%
# Индексы, срезы, маски
# ---------------------
# Индексы и срезы — как у списков Python, но по каждому измерению через запятую.
# Простой срез возвращает *вид* (view) на те же данные, без копирования. Список
# индексов или булева маска выбирают произвольные элементы, поэтому дают копию.


def same_storage(t1, t2):
    """Лежат ли данные двух тензоров в одном хранилище (адреса начала могут отличаться)."""
    return t1.untyped_storage().data_ptr() == t2.untyped_storage().data_ptr()


grid = torch.arange(12).reshape(3, 4)
print(grid)
print(f"grid[1] = {grid[1].tolist()}; grid[:, 2] = {grid[:, 2].tolist()}")
print(f"grid[1:, ::2] = {grid[1:, ::2].tolist()}; grid[-1, -1] = {grid[-1, -1].item()}")
column = grid[:, 2]
picked_rows = grid[[0, 2]]
print(f"Срез делит память с grid: {same_storage(column, grid)}")
print(f"Список индексов делит память с grid: {same_storage(picked_rows, grid)}")

# %%
# Сравнение ``values > 0`` даёт булев тензор той же формы — маску. По маске можно
# выбрать элементы (получится одномерный тензор) или присвоить им значение. Обнулить
# все отрицательные элементы — это функция активации ReLU, с которой мы ещё встретимся.

values = torch.randn(10)
mask = values > 0
positive = values[mask]
clipped = values.clone()
clipped[clipped < 0] = 0
print(f"Маска: {mask.tolist()}\nvalues[mask] = {positive}")
print(f"Обнуление по маске совпало с torch.relu: {torch.equal(clipped, torch.relu(values))}")

# %%
# view и reshape: форма и память
# ------------------------------
# Элементы тензора лежат в памяти одной лентой, а форму задают *страйды* (``stride()``):
# на сколько элементов ленты сдвинуться, чтобы индекс по измерению вырос на 1. ``view``
# меняет форму, не трогая данные: новый тензор смотрит в ту же ленту с другими
# страйдами (``-1`` в форме — «посчитай сам»).

flat = torch.arange(6)
as_matrix = flat.view(2, 3)
view_shares_storage = as_matrix.data_ptr() == flat.data_ptr()
as_matrix[0, 0] = 100  # меняем вид — меняется и flat
print(f"flat после as_matrix[0, 0] = 100: {flat.tolist()}; страйды as_matrix: {as_matrix.stride()}")
print(f"flat.view(-1, 2) — форма {tuple(flat.view(-1, 2).shape)}: -1 вычислено само")

# %%
# Транспонирование тоже ничего не копирует, а только меняет страйды местами: строки
# ``as_matrix.T`` уже не идут в памяти подряд (тензор не contiguous). Отсюда правило:
# ``view`` возможен, если новую форму можно описать страйдами. Разбить измерение на
# несколько или добавить измерение длины 1 можно всегда, а слить два измерения в одно —
# только если в памяти они идут друг за другом (страйд первого = страйд второго × длина
# второго). У ``as_matrix.T`` соседние элементы строки лежат через 3 элемента ленты, так
# что ``view(3, 1, 2)`` работает, а вытянуть всё в одну строку ``view(6)`` нельзя.
# ``reshape`` в таком случае сам делает копию, а ``.contiguous()`` копирует явно.

transposed = as_matrix.T
print(f"as_matrix.T: страйды {transposed.stride()}, contiguous: {transposed.is_contiguous()}")
with_unit_dim = transposed.view(3, 1, 2)
split_view = grid.T.view(2, 2, 3)  # grid.T: форма (4, 3); первое измерение делим на 2 × 2
print(f"as_matrix.T.view(3, 1, 2): страйды {with_unit_dim.stride()}, память та же")
print(f"grid.T.view(2, 2, 3): страйды {split_view.stride()}, память та же")
view_error = None
try:
    transposed.view(6)
except RuntimeError as error:
    view_error = str(error)
print(f"transposed.view(6) -> RuntimeError: {view_error}")

reshaped = transposed.reshape(6)
reshape_copied = not same_storage(reshaped, flat)
fixed = transposed.contiguous().view(6)
reshape_of_contiguous = flat.reshape(3, 2)
print(f"reshape(6) = {reshaped.tolist()} (копия: {reshape_copied})")
print(f"contiguous().view(6) = {fixed.tolist()}")
print(f"reshape непрерывного тензора делит память: {same_storage(reshape_of_contiguous, flat)}")

# %%
# permute, unsqueeze, squeeze
# ---------------------------
# ``permute`` переставляет измерения. Типичный случай — картинки: PyTorch хранит их как
# (N, C, H, W), а matplotlib ждёт каналы последними. ``unsqueeze(d)`` вставляет
# измерение длины 1 на место ``d``, ``squeeze`` убирает такие измерения: так одна
# картинка становится батчем из одной картинки и обратно.

batch_nchw = torch.randn(2, 3, 4, 5)
batch_nhwc = batch_nchw.permute(0, 2, 3, 1)
print(f"permute(0, 2, 3, 1): {tuple(batch_nchw.shape)} -> {tuple(batch_nhwc.shape)}")
print(f"Память общая: {same_storage(batch_nhwc, batch_nchw)}, подряд: {batch_nhwc.is_contiguous()}")

vec = torch.tensor([1.0, 2.0, 3.0])
as_row = vec.unsqueeze(0)
as_column = vec.unsqueeze(1)
squeezed = torch.zeros(1, 3, 1, 2).squeeze()
print(f"unsqueeze(0): {tuple(as_row.shape)}, unsqueeze(1): {tuple(as_column.shape)}")
print(f"vec[None] — то же, что unsqueeze(0): {torch.equal(vec[None], as_row)}")
print(f"(1, 3, 1, 2).squeeze() -> {tuple(squeezed.shape)}")

# %%
# cat и stack
# -----------
# ``torch.cat`` склеивает тензоры вдоль *существующего* измерения: формы должны
# совпадать во всех остальных. ``torch.stack`` кладёт тензоры одинаковой формы друг на
# друга вдоль *нового* измерения — так из отдельных примеров собирают батч.

top = torch.arange(6).reshape(2, 3)
bottom = top + 10
glued = {
    "cat(dim=0)": torch.cat([top, bottom], dim=0),
    "cat(dim=1)": torch.cat([top, bottom], dim=1),
    "stack(dim=0)": torch.stack([top, bottom], dim=0),
}
print("; ".join(f"{name} -> {tuple(value.shape)}" for name, value in glued.items()))

# %%
# Broadcasting
# ------------
# Операция над тензорами *разной* формы возможна, если формы совместимы. Правило:
# выровняем формы по правому краю (недостающие слева измерения считаем равными 1) и
# сравним по одному измерению справа налево. Каждая пара должна быть либо равна, либо
# одно из чисел — 1; измерение длины 1 мысленно «растягивается» до длины другого.
# Копий для этого не создаётся: растянутое измерение получает страйд 0, то есть все его
# индексы смотрят в одни и те же элементы. Это видно у ``expand`` и ``torch.broadcast_to``:
# они возвращают такой растянутый вид. Запишем правило функцией и сверим с PyTorch.


def broadcast_shape(shape_a, shape_b):
    """Форма результата по правилу broadcasting или ValueError для несовместимых форм."""
    ndim = max(len(shape_a), len(shape_b))
    padded_a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)
    padded_b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)
    result = []
    for size_a, size_b in zip(padded_a, padded_b, strict=True):
        if size_a == 1:
            result.append(size_b)
        elif size_b in (1, size_a):
            result.append(size_a)
        else:
            raise ValueError(f"формы {tuple(shape_a)} и {tuple(shape_b)} несовместимы")
    return tuple(result)


row_values = torch.tensor([1, 2, 3])
stretched = row_values.expand(4, 3)
print(
    f"expand(4, 3): страйды {stretched.stride()}, память та же: {same_storage(stretched, row_values)}"
)

shape_pairs = [((3, 1), (4,)), ((2, 3), (3,)), ((4, 1, 3), (2, 1)), ((5, 3), ())]
broadcast_results = []
for shape_a, shape_b in shape_pairs:
    left = torch.arange(torch.Size(shape_a).numel()).reshape(shape_a) + 1
    right = torch.arange(torch.Size(shape_b).numel()).reshape(shape_b) + 1
    total = left * right
    broadcast_results.append((left, right, total))
    rule = broadcast_shape(shape_a, shape_b)
    print(f"{str(shape_a):<10} * {str(shape_b):<7} -> {tuple(total.shape)}, по правилу {rule}")
print(f"Таблица умножения из (3, 1) * (4,):\n{broadcast_results[0][2]}")

# %%
# Частый пример из практики — вычесть из каждого столбца данных его среднее: форма
# (5, 3) минус форма (3,). А вот (2, 3) плюс (2,) не сработает: справа стоят 3 и 2.
# Если имелось в виду «прибавить своё число к каждой строке», нужна форма (2, 1).

data = torch.randn(5, 3)
centered = data - data.mean(dim=0)
print(f"Средние столбцов после центрирования: {centered.mean(dim=0)}")

broadcast_error = None
try:
    torch.ones(2, 3) + torch.tensor([10.0, 20.0])
except RuntimeError as error:
    broadcast_error = str(error)
print(f"(2, 3) + (2,) -> RuntimeError: {broadcast_error}")
row_shift = torch.ones(2, 3) + torch.tensor([10.0, 20.0]).unsqueeze(1)
print(f"(2, 3) + (2, 1) работает:\n{row_shift}")

# %%
# Суммы, средние, максимумы по осям
# ---------------------------------
# ``sum``, ``mean``, ``max``, ``argmax`` без аргументов сворачивают весь тензор в число,
# с ``dim=d`` — только измерение ``d``: ``dim=0`` даёт по числу на столбец, ``dim=1`` —
# на строку. ``keepdim=True`` оставляет свёрнутое измерение длиной 1, и результат
# годится для broadcasting. ``max(dim=...)`` возвращает и значения, и их индексы.

scores = torch.tensor([[3.0, 1.0, 4.0, 1.0], [5.0, 9.0, 2.0, 6.0], [5.0, 3.0, 5.0, 8.0]])
column_sums = scores.sum(dim=0)
row_means = scores.mean(dim=1)
row_sums = scores.sum(dim=1, keepdim=True)
row_shares = scores / row_sums  # каждая строка теперь в сумме даёт 1
row_max = scores.max(dim=1)
best_column = scores.argmax(dim=1)
print(f"Сумма всего: {scores.sum().item()}, по столбцам: {column_sums.tolist()}")
print(f"Средние строк: {row_means.tolist()}; с keepdim форма {tuple(row_sums.shape)}")
print(f"Суммы долей по строкам: {row_shares.sum(dim=1).tolist()}")
print(f"max(dim=1): {row_max.values.tolist()}, индексы = argmax: {best_column.tolist()}")

keepdim_error = None
try:
    scores / scores.sum(dim=1)  # (3, 4) / (3,): справа 4 и 3
except RuntimeError as error:
    keepdim_error = str(error)
print(f"Без keepdim: RuntimeError: {keepdim_error}")

# %%
# Матричное умножение
# -------------------
# ``A @ B`` (то же, что ``torch.matmul``) для матриц (n, k) и (k, m) даёт матрицу (n, m):
# элемент ``[i, j]`` — сумма произведений i-й строки ``A`` на j-й столбец ``B``.
# Запишем это определение циклами Python и сравним ответы. Циклы нужны только для
# проверки: ``@`` поручает работу оптимизированной библиотеке линейной алгебры.

A = torch.randn(loop_size, loop_size, device=device)
B = torch.randn(loop_size, loop_size, device=device)


def matmul_by_hand(rows_a, rows_b):
    """Произведение матриц, заданных списками строк, — по определению."""
    inner, cols = len(rows_b), len(rows_b[0])
    return [
        [sum(row[k] * rows_b[k][j] for k in range(inner)) for j in range(cols)] for row in rows_a
    ]


by_hand = torch.tensor(matmul_by_hand(A.tolist(), B.tolist()), device=device)
product = A @ B
matmul_error = (product - by_hand).abs().max().item()
print(f"{loop_size}×{loop_size}: наибольшее расхождение циклов и @ — {matmul_error:.1e}")
print(f"torch.matmul(A, B) — то же, что A @ B: {torch.equal(torch.matmul(A, B), product)}")

# %%
# Для трёх и более измерений все, кроме двух последних, — номер в батче: перемножаются
# матрицы с одинаковым номером. Эти измерения подчиняются broadcasting, поэтому батч
# матриц можно умножить и на одну общую матрицу.

batch = torch.randn(5, 3, 4, device=device)
batch_weights = torch.randn(5, 4, 2, device=device)
batched = batch @ batch_weights
batched_by_loop = torch.stack([batch[i] @ batch_weights[i] for i in range(len(batch))])
shared_weight = batch @ batch_weights[0]
print(f"(5, 3, 4) @ (5, 4, 2) -> {tuple(batched.shape)}; @ (4, 2) -> {tuple(shared_weight.shape)}")
print(f"Совпадает с циклом по батчу: {torch.allclose(batched, batched_by_loop)}")

# %%
# einsum
# ------
# ``torch.einsum`` задаёт операцию строкой: измерения входов помечены буквами, справа
# от ``->`` — буквы результата, а буквы, которых справа нет, суммируются. Сверим четыре
# записи (произведение матриц, след, батч матриц, внешнее произведение) с функциями PyTorch.

square = torch.randn(4, 4, device=device)
u = torch.randn(3, device=device)
v = torch.randn(5, device=device)
einsum_checks = {
    "ij,jk->ik": (torch.einsum("ij,jk->ik", A, B), A @ B),
    "ii->": (torch.einsum("ii->", square), torch.trace(square)),
    "bij,bjk->bik": (torch.einsum("bij,bjk->bik", batch, batch_weights), batched),
    "i,j->ij": (torch.einsum("i,j->ij", u, v), torch.outer(u, v)),
}
for pattern, (result, reference) in einsum_checks.items():
    agree = torch.allclose(result, reference, atol=1e-5)
    print(f"{pattern:<13} форма {tuple(result.shape)}, совпадает: {agree}")

# %%
# Что дальше
# ----------
# Из этих операций складываются модели следующих уроков. В уроке 1.3 PyTorch сам
# будет считать производные таких выражений — это и есть autograd.
