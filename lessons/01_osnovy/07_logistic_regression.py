"""
Логистическая регрессия
=======================

Переходим от предсказания чисел к выбору класса. Начнём с двух классов: логистическая
регрессия в точном смысле слова — это линейная модель и сигмоида σ(z), которая
превращает одно число в вероятность. Затем обобщим её на десять цифр: выходов у
``nn.Linear`` станет десять, сигмоиду заменит softmax, а MSE — кросс-энтропия.
Обучаем по батчам через ``DataLoader`` из урока 1.5 и честно отделяем тестовую часть
от обучающей.

Запуск: ``kurs run 1.7`` (или ``kurs run logistic-regression``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------
# Набор рукописных цифр ``load_digits`` входит в scikit-learn, поэтому ничего скачивать
# не нужно. Зерно генератора фиксирует и разбиение, и перемешивание батчей, и начальные веса.

import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import trange

from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Гиперпараметры
test_size = 0.25  # четверть картинок откладываем в тестовую часть
batch_size = 64
num_epochs = 10 if opts.quick else 30
lr = 0.05
momentum = 0.9  # SGD с импульсом (momentum), см. урок 1.4
binary_digits = (3, 8)  # пара цифр для модели с двумя классами
binary_epochs = 20 if opts.quick else 50

# %%
# Данные
# ------
# 1797 картинок 8×8 пикселей, яркость каждого пикселя — целое число от 0 до 16.
# Для линейной модели картинка — просто вектор из 64 чисел. Метки классов храним
# в ``torch.long``: этого типа ждёт функция потерь для классификации.

pixels, digit_labels = load_digits(return_X_y=True)  # NumPy: (1797, 64) и (1797,)
X = torch.tensor(pixels, dtype=torch.float32)
y = torch.tensor(digit_labels, dtype=torch.long)
num_classes = 10
print(f"Картинок: {len(X)}, признаков у каждой: {X.shape[1]}, классов: {num_classes}")

# %%
# Обучающая и тестовая части
# --------------------------
# Делим *номера* картинок, а не сами картинки: так легко убедиться, что ни одна
# тестовая цифра не попала в обучение. ``stratify=y`` сохраняет в обеих частях
# одинаковую долю каждой цифры.

train_idx, test_idx = train_test_split(
    torch.arange(len(X)).numpy(), test_size=test_size, stratify=y.numpy(), random_state=0
)
train_idx, test_idx = torch.from_numpy(train_idx), torch.from_numpy(test_idx)
X_train, y_train = X[train_idx], y[train_idx]
X_test, y_test = X[test_idx], y[test_idx]
print(f"Обучение: {len(train_idx)} картинок, тест: {len(test_idx)}")

# %%
# Стандартизация признаков
# ------------------------
# Вычтем из каждого пикселя среднее и поделим на стандартное отклонение, чтобы все
# признаки были одного масштаба: градиентному спуску так заметно легче.
#
# Среднее и стандартное отклонение считаем **только по обучающей части**. Тестовые картинки изображают
# данные, которых модель ещё не видела; если подсмотреть в них хотя бы для нормировки,
# оценка качества станет чуть оптимистичнее, чем будет на настоящих новых данных.
#
# Пиксели у краёв почти всегда пустые, их стандартное отклонение близко к нулю. Деление
# на такое число превратило бы случайный штрих в огромный признак, поэтому отклонение
# ограничено снизу единицей — одной ступенью яркости.

mean = X_train.mean(dim=0)
std = X_train.std(dim=0).clamp_min(1.0)
X_train = (X_train - mean) / std
X_test = ((X_test - mean) / std).to(device)
y_test = y_test.to(device)

# %%
# Два класса: сигмоида
# --------------------
# Отличим тройки от восьмёрок. Модели хватит одного выхода — логита z: чем он больше,
# тем увереннее модель в классе «8». Сигмоида σ(z) = 1 / (1 + e^(−z)) переводит логит
# в вероятность от 0 до 1, а функция потерь — бинарная кросс-энтропия
# −[t·log σ(z) + (1 − t)·log(1 − σ(z))], где t — метка 0 или 1. ``nn.BCEWithLogitsLoss``
# принимает логиты и считает сигмоиду внутри, устойчиво к переполнению.
# Цикл обучения — те же пять шагов, что в уроке 1.6 (все картинки пары — одним батчем).

binary_train = (y_train == binary_digits[0]) | (y_train == binary_digits[1])
binary_test = (y_test == binary_digits[0]) | (y_test == binary_digits[1])
X_binary = X_train[binary_train].to(device)
t_binary = (y_train[binary_train] == binary_digits[1]).float().to(device)  # 1 — «восьмёрка»
binary_model = nn.Linear(X.shape[1], 1).to(device)
binary_criterion = nn.BCEWithLogitsLoss()
binary_optimizer = torch.optim.SGD(binary_model.parameters(), lr=lr, momentum=momentum)
for epoch in range(binary_epochs):
    binary_model.train()
    binary_logits = binary_model(X_binary).squeeze(1)  # (N, 1) → (N,)
    binary_loss = binary_criterion(binary_logits, t_binary)
    binary_optimizer.zero_grad()
    binary_loss.backward()
    binary_optimizer.step()

binary_model.eval()
with torch.no_grad():
    test_probs_8 = torch.sigmoid(binary_model(X_test[binary_test].to(device)).squeeze(1))
binary_targets = (y_test[binary_test] == binary_digits[1]).to(device)
binary_accuracy = ((test_probs_8 > 0.5) == binary_targets).float().mean().item()
print(
    f"{binary_digits[0]} против {binary_digits[1]}: потери {binary_loss.item():.4f}, "
    f"доля верных ответов на тестовой части {binary_accuracy:.4f}"
)

# %%
# Softmax с двумя классами — та же сигмоида: softmax([z, 0]) даёт вероятность
# e^z / (e^z + 1) = σ(z) первому классу. Поэтому многоклассовая модель ниже — прямое
# обобщение логистической регрессии (её называют softmax-регрессией).

z = torch.linspace(-4, 4, 9)
softmax_of_pair = torch.softmax(torch.stack([z, torch.zeros_like(z)], dim=1), dim=1)[:, 0]
print(f"softmax([z, 0])[0] совпадает с σ(z): {torch.allclose(softmax_of_pair, torch.sigmoid(z))}")

# %%
# Батчи
# -----
# Дальше — все десять цифр. ``DataLoader`` каждую эпоху перемешивает обучающие примеры
# и выдаёт их батчами по ``batch_size``. Шаг по небольшому батчу дешевле шага по всем
# данным, а шагов за эпоху получается много.

train_set = TensorDataset(X_train, y_train)
train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
print(f"Батчей за эпоху: {len(train_loader)}")

# %%
# Модель, функция потерь, оптимизатор
# -----------------------------------
# Модель — один слой ``nn.Linear(64, 10)``: для каждого класса свой вектор весов
# и своё смещение. Её выходы называют **логитами**: это произвольные числа, а не
# вероятности.
#
# ``nn.CrossEntropyLoss`` принимает именно логиты и сама применяет к ним softmax
# (точнее, более устойчивый численно ``log_softmax``), а затем берёт минус логарифм
# вероятности правильного класса. Поэтому softmax в модель **не** добавляем: иначе
# он применился бы дважды.

model = nn.Linear(X.shape[1], num_classes).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)

# %%
# Цикл обучения
# -------------
# Внешний цикл — эпохи, внутренний — батчи. Внутри те же пять шагов, что в уроке 1.6.
# Оптимизатор — SGD с импульсом из урока 1.4: шаг копит направление прошлых шагов.
# ``model.train()`` у линейного слоя ничего не меняет, но это хорошая привычка:
# в уроке 1.8 появится Dropout, который без неё работает неправильно.

train_losses = []
progress = trange(num_epochs, desc="Эпохи")
for epoch in progress:
    model.train()
    epoch_loss = 0.0
    for X_batch, y_batch in train_loader:
        X_batch, y_batch = X_batch.to(device), y_batch.to(device)
        logits = model(X_batch)  # (batch, 10)
        loss = criterion(logits, y_batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item() * len(X_batch)  # сумма, чтобы неполный батч не весил больше
    train_losses.append(epoch_loss / len(train_set))
    progress.set_postfix(loss=f"{train_losses[-1]:.4f}")

print(f"Потери на обучении: {train_losses[0]:.4f} → {train_losses[-1]:.4f}")

# %%
# Доля верных ответов на тестовой части
# -------------------------------------
# ``model.eval()`` переключает слои в режим проверки, а ``torch.no_grad()`` отключает
# запись графа: градиенты при оценке не нужны, а память и время на них тратились бы.
# Предсказанный класс — номер наибольшего логита; softmax для этого не нужен, он не
# меняет порядок чисел.

model.eval()
with torch.no_grad():
    test_logits = model(X_test)
predictions = test_logits.argmax(dim=1)
test_accuracy = (predictions == y_test).float().mean().item()
print(f"Доля верных ответов (accuracy) на тестовой части: {test_accuracy:.4f}")

# %%
# Где модель ошибается
# --------------------
# Матрица ошибок: строка — настоящая цифра, столбец — ответ модели. На диагонали
# верные ответы. Номер клетки ``10 * истина + ответ`` превращает подсчёт пар
# в один ``bincount``. Доля верно узнанных картинок каждой цифры — это **полнота**
# (recall) класса: диагональ, делённая на сумму строки. (Точность, precision, — другое:
# доля верных среди всех ответов «это цифра k», то есть диагональ, делённая на столбец.)

confusion = torch.bincount(y_test * num_classes + predictions, minlength=num_classes**2)
confusion = confusion.reshape(num_classes, num_classes).cpu()
per_class_recall = confusion.diag() / confusion.sum(dim=1)
for digit, recall in enumerate(per_class_recall.tolist()):
    print(f"Цифра {digit}: полнота {recall:.3f}")

# Самых частых ошибок может быть несколько с одинаковым счётом — печатаем все.
mistakes = confusion - torch.diag(confusion.diag())
most_mistakes = mistakes.max().item()
most_confused = [tuple(pair) for pair in (mistakes == most_mistakes).nonzero().tolist()]
pairs = ", ".join(f"{true_digit} → {answer}" for true_digit, answer in most_confused)
print(f"Больше всего ошибок ({most_mistakes}) в парах «цифра → ответ»: {pairs}")

# %%
# Вероятности для одной картинки
# ------------------------------
# Softmax превращает логиты в вероятности: p_k = e^(z_k) / Σⱼ e^(z_j).
# Все они положительны и в сумме дают единицу. Перекрёстная энтропия для этой картинки —
# это −log p(верный класс); проверим, что ``criterion`` считает то же самое.

example_logits = test_logits[0]
example_label = y_test[0].item()
example_probs = torch.softmax(example_logits, dim=0)
print(f"Настоящая цифра: {example_label}, ответ модели: {predictions[0].item()}")
for digit in example_probs.argsort(descending=True)[:3].tolist():
    print(f"  p({digit}) = {example_probs[digit].item():.4f}")
print(f"Сумма вероятностей: {example_probs.sum().item():.6f}")

manual_loss = -torch.log(example_probs[example_label]).item()
library_loss = criterion(example_logits.unsqueeze(0), y_test[:1]).item()
print(f"-log p(верный) = {manual_loss:.6f}, CrossEntropyLoss = {library_loss:.6f}")

# %%
# Рисунки
# -------
# Слева — средние потери за эпоху, справа — матрица ошибок.

fig, (ax_loss, ax_conf) = plt.subplots(1, 2, figsize=(11, 4.5))
ax_loss.plot(range(1, num_epochs + 1), train_losses, marker="o")
ax_loss.set_xlabel("эпоха")
ax_loss.set_ylabel("кросс-энтропия")
ax_loss.set_title("Потери на обучении")
ax_conf.imshow(confusion.numpy(), cmap="Blues")
for true_digit in range(num_classes):
    for predicted_digit in range(num_classes):
        count = confusion[true_digit, predicted_digit].item()
        if count:
            color = "white" if true_digit == predicted_digit else "black"
            ax_conf.text(predicted_digit, true_digit, count, ha="center", va="center", color=color)
ax_conf.set_xticks(range(num_classes))
ax_conf.set_yticks(range(num_classes))
ax_conf.set_xlabel("ответ модели")
ax_conf.set_ylabel("настоящая цифра")
ax_conf.set_title(f"Матрица ошибок (accuracy {test_accuracy:.3f})")
save_figure(fig, "logistic_training")

# %%
# Что выучила модель
# ------------------
# Каждая строка матрицы весов — это 64 числа, то есть картинку 8×8 можно нарисовать.
# Логит класса — сумма «пиксель × вес», поэтому красные пиксели голосуют *за* свой
# класс, синие — *против*. Линейная модель сравнивает картинку с десятью такими
# шаблонами. Шаблоны похожи на цифры лишь отчасти: у нуля, например, синяя середина —
# штрих в центре картинки говорит «это не ноль».

weights = model.weight.detach().cpu().reshape(num_classes, 8, 8).numpy()
limit = abs(weights).max()
fig, axes = plt.subplots(2, 5, figsize=(10, 4.5))
for digit, ax in enumerate(axes.flat):
    ax.imshow(weights[digit], cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(f"веса цифры {digit}")
    ax.axis("off")
fig.suptitle("Веса линейной модели")
save_figure(fig, "logistic_weights")

# %%
# Слева — первая тестовая картинка, справа — вероятности, которые ей дала модель.

fig, (ax_image, ax_probs) = plt.subplots(1, 2, figsize=(9, 3.5))
ax_image.imshow(pixels[int(test_idx[0])].reshape(8, 8), cmap="gray_r")
ax_image.set_title(f"настоящая цифра: {example_label}")
ax_image.axis("off")
ax_probs.bar(range(num_classes), example_probs.cpu().numpy())
ax_probs.set_xticks(range(num_classes))
ax_probs.set_xlabel("цифра")
ax_probs.set_ylabel("вероятность")
ax_probs.set_title("Softmax от логитов")
save_figure(fig, "logistic_probabilities")

# %%
# Что дальше
# ----------
# Одного линейного слоя хватило больше чем на 90 % верных ответов. В уроке 1.8 между
# входом и выходом появятся скрытые слои с нелинейностью, и ошибок станет меньше.
