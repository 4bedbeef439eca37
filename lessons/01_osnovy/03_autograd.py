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
# Выражение по шагам
# ------------------
# Возьмём выражение :math:`a = (b + c)(c + 2)` и запишем его так, чтобы у каждого
# промежуточного результата было имя: :math:`d = b + c`, :math:`e = c + 2`,
# :math:`a = d \cdot e`. Флаг ``requires_grad=True`` у :math:`b` и :math:`c` просит PyTorch
# запоминать всё, что с ними делают. У каждого вычисленного тензора появляется поле
# ``grad_fn`` — узел графа, который знает, как передать градиент своим входам.

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
# ``a.backward()``. Узел листа :math:`c` один, но в него входят две стрелки — ведь
# :math:`c` участвует в обоих сложениях.

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
# Цепное правило: производная сложной функции — произведение производных по пути, а если
# путей несколько, вклады путей складываются. Локальные производные:
# :math:`\partial a/\partial d = e`, :math:`\partial a/\partial e = d`,
# :math:`\partial d/\partial b = \partial d/\partial c = \partial e/\partial c = 1`. Отсюда
#
# .. math::
#
#    \frac{\partial a}{\partial b} = \frac{\partial a}{\partial d}\frac{\partial d}{\partial b}
#    = e = 4, \qquad
#    \frac{\partial a}{\partial c} = \frac{\partial a}{\partial d}\frac{\partial d}{\partial c}
#    + \frac{\partial a}{\partial e}\frac{\partial e}{\partial c} = e + d = 7.
#
# Два слагаемых у :math:`\partial a/\partial c` — это две стрелки, входящие в лист
# :math:`c` на рисунке.

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
# ``grad_fn``. Потом всё это переехало в сам тензор, а ``Variable`` осталась только ради
# старого кода: сегодня она просто возвращает обычный тензор с ``requires_grad=True``.
# Вы встретите её в старых статьях; в новом коде пишите ``torch.ones(2, requires_grad=True)``.

from torch.autograd import Variable

legacy = Variable(torch.ones(2), requires_grad=True)
print(f"Variable(...) вернула {type(legacy)}, requires_grad = {legacy.requires_grad}")

# %%
# Градиенты накапливаются
# -----------------------
# ``backward()`` не записывает градиент в ``.grad``, а *прибавляет* его. Поэтому в цикле
# обучения перед каждым обратным проходом градиенты обнуляют — ``optimizer.zero_grad()``
# (урок 1.4) или вручную: ``x.grad = None`` либо ``x.grad.zero_()``.
#
# Ещё одна деталь: после ``backward()`` граф освобождается, чтобы не держать в памяти
# промежуточные тензоры. Пройти его второй раз можно, только если в первый раз попросить
# ``retain_graph=True``.

x = torch.tensor(3.0, device=device, requires_grad=True)
y = x**2  # dy/dx = 2x = 6
y.backward(retain_graph=True)
grad_after_one = x.grad.item()
y.backward()  # тот же граф второй раз: градиент прибавится к уже лежащему в .grad
grad_after_two = x.grad.item()
x.grad = None
print(f"После одного backward: {grad_after_one:.0f}, после двух: {grad_after_two:.0f}")

try:
    y.backward()  # граф уже освобождён: retain_graph во второй раз не передавали
except RuntimeError as error:
    second_backward_error = str(error).split(".")[0]
print(f"Третий backward: RuntimeError «{second_backward_error}»")

# %%
# Когда граф не нужен: no_grad и detach
# -------------------------------------
# При проверке модели или при ручном обновлении весов запоминать операции незачем.
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
# Нескалярный результат: backward с аргументом
# --------------------------------------------
# ``backward()`` без аргументов работает только для скаляра. Если результат — вектор,
# нужно передать вектор :math:`v`, и PyTorch посчитает :math:`v^\top J` — градиент
# скаляра :math:`\sum_i v_i y_i`. Для :math:`y = x^2` (поэлементно) это :math:`2 v x`.

u = torch.tensor([1.0, 2.0, 3.0], device=device, requires_grad=True)
v = torch.tensor([1.0, 0.5, -1.0], device=device)
(u**2).backward(gradient=v)
vector_grad = u.grad
print(f"v·J для y = u²: {vector_grad.tolist()}, ожидали 2·v·u = {(2 * v * u).tolist()}")

# %%
# Динамический граф
# -----------------
# Граф в PyTorch строится *во время выполнения* кода (define-by-run): каждый вызов
# записывает ровно те операции, что реально выполнились. Поэтому в модели можно писать
# обычные ``while`` и ``if`` на Python, и граф каждый раз будет своим.
#
# Функция ниже удваивает вектор, пока его длина меньше 1000. Сколько раз — зависит от
# входа: если удвоений было :math:`k`, то :math:`y = 2^k x` и градиент суммы :math:`y` по
# каждой координате :math:`x` равен :math:`2^k`. Заранее нарисовать такой граф нельзя, а
# autograd справляется, потому что видит уже выполненные операции.


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
# Что дальше
# ----------
# Мы знаем, откуда берутся градиенты. В уроке 1.4 ими распорядятся готовые детали
# PyTorch: модули ``nn.Module``, функции потерь и оптимизаторы, которые сами делают
# шаг против градиента.
