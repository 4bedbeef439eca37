"""
Вычислительный граф и автоматическое дифференцирование
======================================================

Нейросеть учится, двигая параметры против градиента функции потерь. Считать эти
градиенты вручную для миллионов параметров никто не станет: это делает модуль
``torch.autograd``. В этом уроке мы разберём, как он работает: PyTorch записывает каждую
операцию в *вычислительный граф*, а ``backward()`` проходит этот граф от конца к началу
по цепному правилу. Мы посчитаем производные на бумаге, сверим их с autograd, нарисуем
граф и посмотрим на граф, форма которого зависит от данных.

Запуск: ``kurs run 1.3`` (или ``kurs run autograd``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------
# Обучения в этом уроке нет, поэтому гиперпараметр всего один: сколько случайных входов
# проверить в последнем разделе, про динамический граф.

import matplotlib.pyplot as plt
import torch

from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

num_random_inputs = 4 if opts.quick else 8

# %%
# Выражение по частям
# -------------------
# Возьмём выражение a = (b + c)·(c + 2) и запишем его так, чтобы у каждого
# промежуточного результата было имя: d = b + c, e = c + 2, a = d·e. Флаг
# ``requires_grad=True`` у b и c просит PyTorch запоминать всё, что с ними делают. У
# каждого вычисленного тензора появляется поле ``grad_fn`` — узел графа, который знает,
# как передать градиент своим входам.

b = torch.tensor(1.0, device=device, requires_grad=True)
c = torch.tensor(2.0, device=device, requires_grad=True)
d = b + c
e = c + 2
a = d * e
print(f"d = b + c = {d.item():.0f}, e = c + 2 = {e.item():.0f}, a = d * e = {a.item():.0f}")
print(
    f"d.grad_fn = {d.grad_fn.name()}, e.grad_fn = {e.grad_fn.name()}, a.grad_fn = {a.grad_fn.name()}"
)
print(f"У листьев grad_fn нет: b.grad_fn = {b.grad_fn}")

# %%
# Обход графа
# -----------
# Граф можно пройти самому. У каждого узла есть ``next_functions`` — пары (узел, номер
# выхода), куда дальше пойдёт градиент. Там, где вход не требует градиента (константа 2),
# стоит ``None``. Цепочка заканчивается узлами ``AccumulateGrad``: они складывают
# градиент в ``.grad`` листа, а сам лист хранят в поле ``variable`` — по нему мы узнаём
# имя переменной.


def walk_graph(root, leaf_names):
    """Спускается от root.grad_fn по next_functions; возвращает подписи, глубины и рёбра."""
    labels, depths, edges = {}, {}, set()
    stack = [(root.grad_fn, 0)]
    while stack:
        node, depth = stack.pop()
        if hasattr(node, "variable"):
            labels[node] = leaf_names[id(node.variable)]
        else:
            labels[node] = node.name()
        # Узел может быть достижим разными путями; рисуем его на самой большой глубине.
        depths[node] = max(depth, depths.get(node, 0))
        for child, _ in node.next_functions:
            if child is not None:
                edges.add((node, child))
                stack.append((child, depth + 1))
    return labels, depths, edges


labels, depths, edges = walk_graph(a, {id(b): "b", id(c): "c"})
node_names = sorted(labels.values())
print(f"Узлы графа: {node_names}")

# %%
# Рисуем граф: корень наверху, листья внизу, стрелки показывают, куда течёт градиент при
# ``a.backward()``. Узел листа c один, но в него входят две стрелки — ведь c участвует
# в обоих сложениях.

results = {a.grad_fn: "a", d.grad_fn: "d", e.grad_fn: "e"}
rows = {}
for node, depth in depths.items():
    rows.setdefault(depth, []).append(node)
positions = {}
for depth, row in rows.items():
    row.sort(key=lambda node: results.get(node, labels[node]))
    for i, node in enumerate(row):
        positions[node] = (i - (len(row) - 1) / 2, -depth)

fig, ax = plt.subplots(figsize=(7, 5))
for parent, child in edges:
    ax.annotate(
        "",
        xy=positions[child],
        xytext=positions[parent],
        arrowprops={"arrowstyle": "->", "shrinkA": 22, "shrinkB": 22, "color": "0.3"},
    )
for node, (x, y) in positions.items():
    is_leaf = node not in results
    text = f"лист {labels[node]}\nAccumulateGrad" if is_leaf else f"{results[node]}\n{labels[node]}"
    color = "#cde5b4" if is_leaf else "#bcd6f0"
    ax.text(x, y, text, ha="center", va="center", bbox={"boxstyle": "round", "fc": color})
ax.set_xlim(-1.5, 1.5)
ax.set_ylim(-max(depths.values()) - 0.5, 0.5)
ax.axis("off")
ax.set_title("Граф a = (b + c)·(c + 2): стрелки — путь градиента")
save_figure(fig, "autograd_graph")

# %%
# Градиенты вручную и через backward
# ----------------------------------
# Градиент — вектор частных производных по всем входам: для a(b, c) это (∂a/∂b, ∂a/∂c).
# Он показывает, куда и как быстро растёт a. Цепное правило: производная сложной
# функции — произведение производных по пути, а если путей несколько, вклады путей
# складываются. Локальные производные: ∂a/∂d = e, ∂a/∂e = d, ∂d/∂b = ∂d/∂c = ∂e/∂c = 1.
# Отсюда
#
#     ∂a/∂b = ∂a/∂d · ∂d/∂b = e = 4,
#     ∂a/∂c = ∂a/∂d · ∂d/∂c + ∂a/∂e · ∂e/∂c = e + d = 7.
#
# Два слагаемых у ∂a/∂c — это две стрелки, входящие в лист c на рисунке.

hand_grad_b = e.item()
hand_grad_c = e.item() + d.item()
a.backward()
autograd_grad_b = b.grad.item()
autograd_grad_c = c.grad.item()
print(f"Вручную:  ∂a/∂b = {hand_grad_b:.0f}, ∂a/∂c = {hand_grad_c:.0f}")
print(f"Autograd: ∂a/∂b = {autograd_grad_b:.0f}, ∂a/∂c = {autograd_grad_c:.0f}")
# .grad хранится только у листьев; для промежуточного узла его надо заказать d.retain_grad().
print(f"d — лист? {d.is_leaf}; b — лист? {b.is_leaf}")

# %%
# Немного истории: Variable
# -------------------------
# До версии 0.4 (2018 год) тензоры не умели запоминать операции. Для этого их заворачивали
# в ``torch.autograd.Variable`` — обёртку с полями ``data`` (сам тензор), ``grad`` и
# ``grad_fn``. Потом всё это переехало в сам тензор, а ``Variable`` оставили ради старого
# кода: сегодня ``Variable(t)`` возвращает обычный тензор с теми же данными, и
# ``requires_grad`` у него, как у любого нового тензора, ``False`` — пока не передать
# ``requires_grad=True`` явно. Вы встретите её в старых статьях; в новом коде пишите
# ``torch.ones(2, requires_grad=True)``.

from torch.autograd import Variable

legacy_plain = Variable(torch.ones(2))
legacy = Variable(torch.ones(2), requires_grad=True)
print(f"Variable(t) вернула {type(legacy_plain)}, requires_grad = {legacy_plain.requires_grad}")
print(f"Variable(t, requires_grad=True): requires_grad = {legacy.requires_grad}")

# %%
# Градиенты накапливаются
# -----------------------
# ``backward()`` не записывает градиент в ``.grad``, а *прибавляет* его. Поэтому в цикле
# обучения перед каждым обратным проходом градиенты обнуляют — ``optimizer.zero_grad()``
# (урок 1.4) или вручную: ``x.grad = None`` либо ``x.grad.zero_()``.
#
# Можно ли пройти один граф дважды? Для обратного прохода многие узлы сохраняют
# промежуточные значения: узлу y = x² нужен x, чтобы посчитать 2x. После ``backward()``
# PyTorch эти сохранённые значения освобождает, чтобы не держать их в памяти, и второй
# проход через такой узел падает с RuntimeError — если в первый раз не попросить
# ``retain_graph=True``. Сложению сохранять нечего (∂(x + 1)/∂x = 1), поэтому граф
# y = x + 1 можно пройти сколько угодно раз и без этого флага.

x = torch.tensor(3.0, device=device, requires_grad=True)
y = x**2  # dy/dx = 2x = 6
y.backward(retain_graph=True)
grad_after_one = x.grad.item()
y.backward()  # тот же граф второй раз: градиент прибавится к уже лежащему в .grad
grad_after_two = x.grad.item()
print(f"После одного backward: {grad_after_one:.0f}, после двух: {grad_after_two:.0f}")

second_backward_error = None
try:
    y.backward()  # второй раз retain_graph не передавали: сохранённый x уже освобождён
except RuntimeError as error:
    second_backward_error = str(error).split(".")[0]
print(f"Третий backward: RuntimeError «{second_backward_error}»")

x.grad = None
shifted = x + 1
shifted.backward()
shifted.backward()  # без retain_graph: узлу сложения нечего было сохранять
grad_plus_one_twice = x.grad.item()
x.grad = None
print(f"y = x + 1, два backward подряд: градиент {grad_plus_one_twice:.0f} = 1 + 1")

# %%
# Когда граф не нужен: no_grad и detach
# -------------------------------------
# При оценке модели (режим eval, урок 1.4) или при ручном обновлении весов запоминать
# операции незачем.
# Внутри ``with torch.no_grad():`` граф не строится — результат не требует градиента.
# ``.detach()`` возвращает тензор, отрезанный от графа: данные у него *те же самые*
# (общая память, копирования нет), но градиент через него не пойдёт.

w = torch.randn(3, device=device, requires_grad=True)
with torch.no_grad():
    w_doubled = w * 2
w_detached = w.detach()
shares_storage = w_detached.data_ptr() == w.data_ptr()
print(f"Внутри no_grad: requires_grad = {w_doubled.requires_grad}")
print(f"detach: requires_grad = {w_detached.requires_grad}, общая память: {shares_storage}")

# %%
# Тензор, который требует градиента, ``.numpy()`` в массив не превращает: связь с графом
# так легко потерять незаметно. Правильно — ``w.detach().numpy()``, а для тензора на
# видеокарте — ``w.detach().cpu().numpy()``.

numpy_error = None
try:
    w.cpu().numpy()
except RuntimeError as error:
    numpy_error = str(error)
w_numpy = w.detach().cpu().numpy()
print(f"w.numpy() -> RuntimeError: {numpy_error}")
print(f"w.detach().cpu().numpy() -> {w_numpy}")

# %%
# Изменения на месте, detach и .data
# ----------------------------------
# Узел sigmoid сохраняет свой результат σ: его производная σ·(1 − σ) считается по нему.
# Если этот результат изменить на месте, обратный проход получил бы неверные числа.
# PyTorch это замечает: у тензора есть счётчик версий, который растёт при каждом
# изменении на месте, и ``backward`` сверяет его с запомненным. ``detach()`` делит с
# исходным тензором и память, и счётчик, поэтому порча через него тоже ловится.

z = torch.tensor([0.0, 1.0, 2.0], device=device, requires_grad=True)
sigma = z.sigmoid()
sigma.mul_(2)  # меняем на месте сохранённый результат
inplace_error = None
try:
    sigma.sum().backward()
except RuntimeError as error:
    inplace_error = str(error).split(" Hint")[0]
print(f"backward после sigma.mul_(2): RuntimeError: {inplace_error}")

sigma = z.sigmoid()
sigma.detach().zero_()
detach_error = None
try:
    sigma.sum().backward()
except RuntimeError as error:
    detach_error = str(error).split(" Hint")[0]
print(f"После sigma.detach().zero_() backward тоже отказался: {detach_error is not None}")

# %%
# В старых статьях вместо ``detach()`` пишут ``.data``. Данные те же, но счётчик версий
# у ``.data`` свой, и autograd изменений через него не видит: обратный проход молча
# считает градиент по испорченным числам. Это единственное место курса с ``.data`` —
# в своём коде пользуйтесь ``detach()`` и ``torch.no_grad()``.

z.grad = None
sigma = z.sigmoid()
sigma.data.zero_()  # так делать нельзя: ошибки не будет, градиент будет неверным
sigma.sum().backward()
data_grad = z.grad.clone()
true_grad = (z.sigmoid() * (1 - z.sigmoid())).detach()
print(f"Градиент после .data.zero_(): {data_grad.tolist()}")
print(f"Верный градиент σ·(1 − σ):     {[round(g, 4) for g in true_grad.tolist()]}")

# %%
# Результат из нескольких чисел: backward с аргументом
# ----------------------------------------------------
# ``backward()`` без аргументов работает для любого тензора из одного элемента: формы
# () или, скажем, (1, 1). Если элементов больше, PyTorch не знает, какую их комбинацию
# дифференцировать, и просит вектор v: тогда он считает vᵀJ — градиент скаляра
# Σᵢ vᵢ·yᵢ (J — матрица производных ∂yᵢ/∂uⱼ). Для y = u² (поэлементно) это 2·v·u.

u = torch.tensor([1.0, 2.0, 3.0], device=device, requires_grad=True)
(u**2).sum().reshape(1, 1).backward()  # форма (1, 1): один элемент — аргумент не нужен
one_element_grad = u.grad.clone()
u.grad = None
vector_backward_error = None
try:
    (u**2).backward()
except RuntimeError as error:
    vector_backward_error = str(error)
print(f"Сумма формы (1, 1): градиент {one_element_grad.tolist()}")
print(f"Вектор без аргумента: RuntimeError: {vector_backward_error}")

v = torch.tensor([1.0, 0.5, -1.0], device=device)
(u**2).backward(gradient=v)
vector_grad = u.grad
print(f"vᵀJ для y = u²: {vector_grad.tolist()}, ожидали 2·v·u = {(2 * v * u).tolist()}")

# %%
# Динамический граф
# -----------------
# Граф в PyTorch строится *во время выполнения* кода (define-by-run): каждый вызов
# записывает ровно те операции, что реально выполнились. Поэтому в модели можно писать
# обычные ``while`` и ``if`` на Python, и граф каждый раз будет своим.
#
# Функция ниже удваивает вектор, пока его длина (норма) меньше 1000. Сколько раз — зависит
# от входа: если удвоений было k, то y = 2ᵏ·x и градиент суммы y по каждой координате x
# равен 2ᵏ. Заранее нарисовать такой граф нельзя, а autograd справляется, потому что
# видит уже выполненные операции.


def double_until_large(x):
    """Удваивает x, пока его норма меньше 1000; возвращает результат и число удвоений."""
    steps = 0
    while x.norm() < 1000:
        x = x * 2
        steps += 1
    return x, steps


scales = torch.logspace(-3, 2, num_random_inputs).tolist()
dynamic_results = []
for scale in scales:
    x_start = (torch.randn(3, device=device) * scale).requires_grad_()
    y_end, steps = double_until_large(x_start)
    y_end.sum().backward()
    dynamic_results.append((x_start.detach().cpu(), steps, x_start.grad.cpu()))
    print(
        f"|x| = {x_start.norm().item():9.4f}: удвоений {steps:2d}, градиент {x_start.grad[0].item():7.0f}"
    )

dynamic_all_match = all(
    torch.equal(grad, torch.full_like(grad, 2.0**steps)) for _, steps, grad in dynamic_results
)
step_counts = sorted({steps for _, steps, _ in dynamic_results})
print(f"Градиент везде равен 2^k: {dynamic_all_match}; встретилось удвоений: {step_counts}")

# %%
# Градиентный спуск
# -----------------
# Зачем всё это обучению? Градиент показывает, куда функция растёт быстрее всего, значит,
# шаг против него её уменьшает: x ← x − lr·∂f/∂x, где lr (скорость обучения) — длина
# шага. Повторяя такие шаги, спускаются к минимуму. Найдём минимум f(x) = (x − 3)²:
# обучение нейросети — то же самое, только x — это миллионы весов. Сам шаг делаем под
# ``torch.no_grad()``: он не часть вычисления, которое нужно дифференцировать, — и
# обнуляем ``.grad`` перед каждым ``backward``, ведь градиенты накапливаются.

point = torch.tensor(0.0, requires_grad=True)
descent_lr = 0.1
for step in range(50):
    f = (point - 3) ** 2
    point.grad = None
    f.backward()
    with torch.no_grad():
        point -= descent_lr * point.grad
descent_result = point.item()
print(f"Градиентный спуск из x = 0: через 50 шагов x = {descent_result:.5f} (минимум в 3)")

# %%
# Что дальше
# ----------
# Мы знаем, откуда берутся градиенты. В уроке 1.4 ими распорядятся готовые детали
# PyTorch: модули ``nn.Module``, функции потерь и оптимизаторы, которые сами делают
# шаг против градиента.
