"""
Линейная регрессия
==================

Первая модель, которую мы обучим от начала до конца. Мы сами создадим данные, у которых
*известны* истинные параметры, обучим на них ``nn.Linear`` градиентным спуском и
проверим себя двумя способами: сравним найденные веса с истинными и с точным решением
метода наименьших квадратов, которое не требует никакого обучения.

Запуск: ``kurs run 1.6`` (или ``kurs run linear-regression``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------
# Все числа, которые можно менять, собраны в одном месте. Зерно генератора делает
# запуск воспроизводимым: у вас получатся ровно те же числа, что в тексте урока.

import matplotlib.pyplot as plt
import torch
from torch import nn
from tqdm import trange

from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Гиперпараметры — настройки, которые выбирает человек, а не обучение: сколько эпох
# учить, какая скорость обучения (lr). Число точек тоже выбираем мы.
num_samples = 200
num_epochs = 60 if opts.quick else 200
lr = 0.1

# %%
# Данные с известным ответом
# --------------------------
# Точки лежат около прямой y = 2x − 1, к которой добавлен нормальный шум со стандартным
# отклонением 0.3.
# Модель этих чисел не знает: ей предстоит найти их по точкам.

true_w, true_b = 2.0, -1.0
noise_std = 0.3
X = torch.rand(num_samples, 1) * 4 - 2  # x равномерно на [-2, 2]
y = true_w * X + true_b + noise_std * torch.randn(num_samples, 1)
X, y = X.to(device), y.to(device)

# %%
# Модель, функция потерь, оптимизатор
# -----------------------------------
# ``nn.Linear(1, 1)`` хранит вес w и смещение b и вычисляет w·x + b. Функция потерь —
# среднеквадратичная ошибка MSE = (1/N)·Σ (ŷᵢ − yᵢ)², оптимизатор — стохастический
# градиентный спуск (SGD) без импульса. Здесь в каждом шаге участвуют все 200 точек
# сразу (один батч на эпоху): данных мало, и так понятнее.

model = nn.Linear(1, 1).to(device)
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=lr)

# %%
# Цикл обучения
# -------------
# Пять шагов, которые повторяются в любой программе обучения на PyTorch:
# прямой проход, функция потерь, обнуление градиентов, обратный проход, шаг оптимизатора.

losses = []
progress = trange(num_epochs, desc="Эпохи")
for epoch in progress:
    model.train()
    prediction = model(X)  # прямой проход
    loss = criterion(prediction, y)  # насколько мы ошиблись
    optimizer.zero_grad()  # градиенты накапливаются, поэтому обнуляем их перед каждым шагом
    loss.backward()  # градиенты потерь по w и b
    optimizer.step()  # шаг против градиента
    losses.append(loss.item())
    progress.set_postfix(loss=f"{loss.item():.4f}")

learned_w = model.weight.item()
learned_b = model.bias.item()
print(f"Истинные параметры: w = {true_w:.3f}, b = {true_b:.3f}")
print(f"Найденные SGD:      w = {learned_w:.3f}, b = {learned_b:.3f}")

# %%
# Проверка точным решением
# ------------------------
# У линейной регрессии есть решение в замкнутой форме — метод наименьших квадратов.
# Допишем к признакам столбец единиц (он отвечает за смещение) и решим задачу
# ``torch.linalg.lstsq``. Градиентный спуск должен прийти туда же: если цикл обучения
# сломан (забыли ``zero_grad``, перепутали знак), числа разойдутся.

X_with_ones = torch.cat([X, torch.ones_like(X)], dim=1).cpu()
solution = torch.linalg.lstsq(X_with_ones, y.cpu()).solution
exact_w, exact_b = solution[0, 0].item(), solution[1, 0].item()
print(f"Точное решение МНК: w = {exact_w:.3f}, b = {exact_b:.3f}")

max_param_error = max(abs(learned_w - exact_w), abs(learned_b - exact_b))
print(f"Наибольшее расхождение SGD и МНК: {max_param_error:.5f}")
print(f"Потери в конце: {losses[-1]:.4f}, дисперсия шума: {noise_std**2:.4f}")

# %%
# Рисунки
# -------
# Слева — точки и найденная прямая, справа — как падала функция потерь.
# Потери не опускаются до нуля: шум в данных не объяснит никакая прямая. Они
# останавливаются около noise_std² = 0.09 — дисперсии шума.

model.eval()
with torch.no_grad():
    grid = torch.linspace(-2, 2, 50, device=device).unsqueeze(1)
    fitted = model(grid)

sign = "+" if learned_b >= 0 else "−"
fig, (ax_data, ax_loss) = plt.subplots(1, 2, figsize=(10, 4))
ax_data.scatter(X.cpu(), y.cpu(), s=10, alpha=0.5, label="данные")
ax_data.plot(
    grid.cpu(),
    fitted.cpu(),
    color="C3",
    label=f"модель: y = {learned_w:.2f}x {sign} {abs(learned_b):.2f}",
)
ax_data.set_xlabel("x")
ax_data.set_ylabel("y")
ax_data.set_title("Данные и найденная прямая")
ax_data.legend()
ax_loss.plot(range(1, len(losses) + 1), losses)
ax_loss.set_xlabel("эпоха")
ax_loss.set_ylabel("MSE")
ax_loss.set_yscale("log")
ax_loss.set_title("Функция потерь")
save_figure(fig, "linear_regression")

# %%
# Что дальше
# ----------
# Тот же цикл из пяти шагов обучает и логистическую регрессию (урок 1.7), и глубокие
# сети: меняются модель и функция потерь, а не устройство обучения.
