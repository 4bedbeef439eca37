"""
Свёрточная сеть
===============

Полносвязная сеть из урока 2.1 смотрит на картинку как на 784 несвязанных числа.
Свёрточная сеть (CNN) устроена иначе: маленькое окно с весами — ядро свёртки — скользит
по картинке и в каждом месте ищет один и тот же узор (край, штрих, петлю). Веса окна
общие для всех мест картинки, поэтому параметров нужно мало, а сдвинутая цифра даёт
сдвинутый, но тот же отклик.

В уроке: свёртка руками и ``nn.Conv2d``, отступ (padding) и страйд (stride), формула
размера выхода, пулинг, BatchNorm; затем обучаем CNN на тех же 4000 цифрах, что и MLP
из урока 2.1, и сравниваем с ним на той же тестовой части — по доле верных ответов
и по числу параметров. В конце смотрим, чему научились фильтры.

Запуск: ``kurs run 2.2`` (или ``kurs run cnn``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------

import time

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision.transforms import v2
from tqdm import trange

from kurs.data import DATASET_INFO, dataset_class, prepare
from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Гиперпараметры
batch_size = 64
# На полных наборах (60 000 картинок) эпоха в 15 раз длиннее — и эпох нужно меньше.
small_dataset = DATASET_INFO[opts.dataset].train_size <= 10_000
num_epochs = (2 if small_dataset else 1) if opts.quick else (15 if small_dataset else 8)
lr = 3e-3  # наибольшая скорость обучения; расписание OneCycle поднимает и опускает её
label_smoothing = 0.1
mlp_epochs = num_epochs if opts.quick else 10  # MLP из урока 2.1, для сравнения
mlp_lr = 1e-3

# %%
# Данные: один раз через transforms, дальше — тензоры в памяти
# ------------------------------------------------------------
# Набор и преобразования — те же, что в уроке 2.1, и разбиение то же самое. Но
# ``ToImage → ToDtype → Normalize`` не содержат случайности: у одной картинки результат
# всегда один. Значит, выполнить их можно один раз, а не в каждой эпохе заново:
# пропустим весь набор через ``DataLoader`` одним батчем и оставим готовые тензоры.
# ``TensorDataset`` над ними просто режет готовые тензоры на батчи, и эпоха не тратит
# время на преобразования. Для больших наборов это тоже годится: 60 000 картинок
# Fashion-MNIST во ``float32`` занимают в памяти около 190 МБ (4 байта на пиксель).

info = DATASET_INFO[opts.dataset]
root = prepare(opts.dataset, opts.data)
Dataset = dataset_class(opts.dataset)
transform = v2.Compose(
    [v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize(info.mean, info.std)]
)


def load_tensors(train):
    """Весь набор (обучающую или тестовую часть) — в два тензора: картинки и метки."""
    dataset = Dataset(root, train=train, download=False, transform=transform)
    return next(iter(DataLoader(dataset, batch_size=len(dataset))))


X_train, y_train = load_tensors(train=True)
X_test, y_test = load_tensors(train=False)
X_test, y_test = X_test.to(device), y_test.to(device)
train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=batch_size, shuffle=True)
num_classes = len(info.classes)
print(f"Обучение: {tuple(X_train.shape)}, тест: {tuple(X_test.shape)}")

# %%
# Свёртка руками
# --------------
# Ядро 3×3 накладывают на кусок картинки 3×3, перемножают поэлементно и складывают:
# выход(i, j) = Σ ядро(a, b) · вход(i + a, j + b) + смещение. Потом окно сдвигается на
# страйд пикселей и всё повторяется. (Строго говоря, это взаимная корреляция: в
# математической свёртке ядро ещё переворачивают. В нейросетях ядро обучается, и
# разницы нет.) Возьмём ядро, которое откликается на вертикальные края: слева
# от линии темно, справа светло — и сравним подсчёт руками с ``F.conv2d``.

digit = X_train[1:2, :1]  # одна картинка (батч 1, канал 1, 28, 28)
vertical_edges = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
kernels = torch.stack([vertical_edges, vertical_edges.T]).unsqueeze(1)  # (2, 1, 3, 3)
edge_maps = F.conv2d(digit, kernels)
i, j = 10, 12
by_hand = (vertical_edges * digit[0, 0, i : i + 3, j : j + 3]).sum()
print(
    f"Выход в точке ({i}, {j}): руками {by_hand.item():.4f}, F.conv2d {edge_maps[0, 0, i, j].item():.4f}"
)

fig, axes = plt.subplots(1, 3, figsize=(8, 3))
titles = ("цифра", "вертикальные края", "горизонтальные края")
for ax, picture, title in zip(
    axes, (digit[0, 0], edge_maps[0, 0], edge_maps[0, 1]), titles, strict=True
):
    if title == "цифра":
        ax.imshow(picture.cpu().numpy(), cmap="gray")
    else:  # ноль — белый: красное — положительный отклик, синее — отрицательный
        limit = picture.abs().max().item()
        ax.imshow(picture.cpu().numpy(), cmap="coolwarm", vmin=-limit, vmax=limit)
    ax.set_title(title)
    ax.axis("off")
fig.suptitle("Два ядра 3×3, заданных руками")
save_figure(fig, "cnn_edges")

# %%
# Размер выхода: отступ и страйд
# ------------------------------
# Без отступа окно 3×3 помещается в картинке 28×28 лишь 26 раз по каждой оси — выход
# сжимается. ``padding=1`` обводит картинку рамкой из нулей в 1 пиксель, и размер
# сохраняется. Страйд (``stride``) — шаг, на который сдвигается окно: при страйде 2
# выход вдвое меньше. Общая формула для стороны n, ядра k, отступа p и страйда s:
#
#     выход = ⌊(n + 2·p − k) / s⌋ + 1
#
# Проверим её на нескольких слоях.


def conv_output_size(n, kernel_size, padding=0, stride=1):
    return (n + 2 * padding - kernel_size) // stride + 1


size_table = []
for kernel_size, padding, stride in [
    (3, 0, 1),
    (3, 1, 1),
    (5, 2, 1),
    (3, 1, 2),
    (5, 0, 2),
    (7, 3, 3),
]:
    layer = nn.Conv2d(1, 4, kernel_size, stride=stride, padding=padding)
    actual = layer(torch.zeros(1, 1, 28, 28)).shape[-1]
    formula = conv_output_size(28, kernel_size, padding, stride)
    size_table.append((kernel_size, padding, stride, formula, actual))
    print(
        f"ядро {kernel_size}, отступ {padding}, страйд {stride}: формула {formula}, слой {actual}"
    )

# %%
# Пулинг
# ------
# ``nn.MaxPool2d(2)`` делит карту на квадраты 2×2 и от каждого оставляет наибольшее
# число: сторона уменьшается вдвое (это та же формула с k = 2, s = 2), а признак,
# сдвинутый на пиксель внутри своего квадрата, даёт тот же выход. Обучаемых
# параметров у пулинга нет.

pool_input = torch.arange(16.0).reshape(1, 1, 4, 4)
pooled = nn.MaxPool2d(2)(pool_input)
print(pool_input[0, 0])
print("MaxPool2d(2):", pooled[0, 0])

# %%
# BatchNorm
# ---------
# ``nn.BatchNorm2d(C)`` в режиме обучения нормирует каждый из C каналов по батчу:
# вычитает среднее и делит на стандартное отклонение, посчитанные по всем картинкам
# батча и всем позициям, а затем умножает на обучаемый масштаб γ и прибавляет сдвиг β
# (вначале γ = 1, β = 0). Так входы следующего слоя остаются в одном масштабе, какими
# бы ни стали веса предыдущего слоя. Заодно он копит скользящие средние
# (``running_mean``, ``running_var``) и в режиме ``eval()`` нормирует ими, а не
# статистиками батча, — поэтому и здесь ``model.eval()`` перед проверкой обязателен.

batch_norm = nn.BatchNorm2d(2)
feature_maps = edge_maps.repeat(8, 1, 1, 1) * torch.rand(8, 1, 1, 1) * 3 + 5
normalized_maps = batch_norm(feature_maps)
bn_means = normalized_maps.mean(dim=(0, 2, 3))
bn_stds = normalized_maps.std(dim=(0, 2, 3), unbiased=False)
print(f"До BatchNorm: средние по каналам {feature_maps.mean(dim=(0, 2, 3)).tolist()}")
print(f"После: средние {bn_means.tolist()}, стандартные отклонения {bn_stds.tolist()}")

# %%
# Модель
# ------
# Три блока «свёртка 3×3 с отступом 1 → BatchNorm → ReLU → MaxPool2d(2)»: сторона
# карт 28 → 14 → 7 → 3, а каналов становится всё больше, 16 → 32 → 64: признаки
# всё сложнее, а места под них нужно всё меньше. Потом ``nn.Flatten`` и один линейный
# слой на 10 логитов (перед ним Dropout). У свёрток с BatchNorm смещение не нужно:
# его всё равно вычтет нормировка, а роль сдвига играет β — поэтому ``bias=False``.

channels = (16, 32, 64)
model = nn.Sequential(
    nn.Conv2d(info.channels, channels[0], kernel_size=3, padding=1, bias=False),
    nn.BatchNorm2d(channels[0]),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(channels[0], channels[1], kernel_size=3, padding=1, bias=False),
    nn.BatchNorm2d(channels[1]),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(channels[1], channels[2], kernel_size=3, padding=1, bias=False),
    nn.BatchNorm2d(channels[2]),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Dropout(0.3),
    nn.Linear(channels[2] * (info.size // 8) ** 2, num_classes),
).to(device)

# %%
# Пройдём по слоям с одним батчем и посмотрим, как меняется форма. Размер после
# каждой свёртки и пулинга предсказывает формула выше.

shapes = []
with torch.no_grad():
    model.eval()
    output = X_test[:2]
    for layer in model:
        output = layer(output)
        shapes.append((type(layer).__name__, tuple(output.shape)))
        print(f"{type(layer).__name__:>12}: {tuple(output.shape)}")

# %%
# Параметры: свёрточная сеть против MLP
# -------------------------------------
# У свёртки параметров столько, сколько весов в ядрах: каналы_выхода · каналы_входа ·
# k · k, и это число не зависит от размера картинки. У полносвязного слоя каждый вход
# соединён с каждым выходом. Построим MLP из урока 2.1 и сравним.

mlp = nn.Sequential(
    nn.Flatten(),
    nn.Linear(info.channels * info.size * info.size, 128),
    nn.ReLU(),
    nn.Dropout(0.2),
    nn.Linear(128, 64),
    nn.ReLU(),
    nn.Dropout(0.2),
    nn.Linear(64, num_classes),
).to(device)


def count_parameters(model):
    return sum(parameter.numel() for parameter in model.parameters())


cnn_parameters = count_parameters(model)
mlp_parameters = count_parameters(mlp)
print(f"Параметров у CNN: {cnn_parameters}, у MLP: {mlp_parameters}")
print(
    f"Первая свёртка: {count_parameters(model[0])} весов; первый слой MLP: {count_parameters(mlp[1])}"
)

# %%
# Обучение
# --------
# Цикл прежний. Три новшества, каждое по одной строке:
#
# * аугментация (для цифр): каждый батч чуть поворачиваем, сдвигаем и масштабируем
#   (``v2.RandomAffine`` из урока 2.1). Преобразования v2 принимают и целый батч,
#   но случайные параметры выбирают один раз на вызов — весь батч искажается
#   одинаково. Нам этого хватает, а стоит это одного вызова на батч. Пустое место
#   заполняем значением, в которое Normalize превратил чёрный пиксель;
# * сглаживание меток (``label_smoothing=0.1``): функция потерь требует для верного
#   класса вероятность не 1, а чуть меньше — сеть меньше переучивается на 4000 картинках;
# * расписание ``OneCycleLR``: скорость обучения первые эпохи растёт до ``lr``, потом
#   плавно падает почти до нуля; ``scheduler.step()`` — после каждого шага оптимизатора.

black = [(0.0 - mean) / std for mean, std in zip(info.mean, info.std, strict=True)]
augment = v2.RandomAffine(degrees=10, translate=(0.1, 0.1), scale=(0.9, 1.1), fill=black)
if not opts.dataset.startswith("mnist"):
    # Поворот и масштаб подходят рукописным цифрам; на других наборах выключаем. Вещи
    # Fashion-MNIST сняты ровно и по центру, картинок в 15 раз больше, и за 8 эпох такая
    # аугментация сети только мешает:
    # с ней 0.889 после 5 эпох, без неё 0.909 после 5 и 0.916 после 8 (bench/section2.py).
    augment = None


def evaluate(model):
    """Доля верных ответов (accuracy) на тестовой части."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(X_test), 1000):
            logits = model(X_test[start : start + 1000])
            correct += (logits.argmax(dim=1) == y_test[start : start + 1000]).sum().item()
    return correct / len(X_test)


def fit(model, name, num_epochs, lr, augment=None, label_smoothing=0.0, one_cycle=False):
    """Обучает модель оптимизатором Adam; возвращает потери и долю верных ответов по эпохам."""
    criterion = nn.CrossEntropyLoss(label_smoothing=label_smoothing)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = None
    if one_cycle:
        total_steps = num_epochs * len(train_loader)
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, lr, total_steps=total_steps)
    losses, accuracies = [], []
    progress = trange(num_epochs, desc=name)
    for epoch in progress:
        model.train()
        epoch_loss = 0.0
        for X, y in train_loader:
            X, y = X.to(device), y.to(device)
            if augment is not None:
                X = augment(X)
            loss = criterion(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            epoch_loss += loss.item() * len(X)
        losses.append(epoch_loss / len(X_train))
        accuracies.append(evaluate(model))
        progress.set_postfix(loss=f"{losses[-1]:.4f}", accuracy=f"{accuracies[-1]:.3f}")
    return losses, accuracies


start = time.perf_counter()
train_losses, test_accuracies = fit(
    model, "CNN", num_epochs, lr, augment=augment, label_smoothing=label_smoothing, one_cycle=True
)
cnn_seconds = time.perf_counter() - start
test_accuracy = test_accuracies[-1]
print(f"Доля верных ответов (accuracy) CNN на тестовой части: {test_accuracy:.4f}")
print(f"Обучение CNN: {cnn_seconds:.1f} с")

# %%
# Базовая модель: MLP на том же разбиении
# ---------------------------------------
# MLP из урока 2.1 обучаем с его оптимизатором и скоростью обучения, без аугментации.
# Обучающая и тестовая части — ровно те же, что у CNN.

start = time.perf_counter()
mlp_losses, mlp_accuracies = fit(mlp, "MLP", mlp_epochs, mlp_lr)
mlp_seconds = time.perf_counter() - start
mlp_accuracy = mlp_accuracies[-1]
cnn_errors = round((1 - test_accuracy) * len(X_test))
mlp_errors = round((1 - mlp_accuracy) * len(X_test))
print(f"MLP: доля верных ответов {mlp_accuracy:.4f}, ошибок {mlp_errors} из {len(X_test)}")
print(f"CNN: доля верных ответов {test_accuracy:.4f}, ошибок {cnn_errors} из {len(X_test)}")

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(
    range(1, num_epochs + 1),
    test_accuracies,
    marker="o",
    label=f"CNN ({cnn_parameters} параметров)",
)
ax.plot(
    range(1, mlp_epochs + 1), mlp_accuracies, marker="s", label=f"MLP ({mlp_parameters} параметров)"
)
ax.axhline(0.98, color="gray", linestyle="--", label="цель урока: 0.98")
ax.set_xlabel("эпоха")
ax.set_ylabel("доля верных ответов")
ax.set_title("Тестовая часть: CNN против MLP")
ax.legend()
save_figure(fig, "cnn_vs_mlp")

# %%
# Чему научились фильтры
# ----------------------
# Ядра первой свёртки — 16 маленьких картинок 3×3; сравните их с ядром краёв, которое
# мы задали руками. Ниже — их отклики на одну цифру после BatchNorm и ReLU (карты
# признаков 28×28) и первые 8 из 32 карт второго блока (14×14).

filters = model[0].weight.detach().cpu()
fig, axes = plt.subplots(2, 8, figsize=(10, 2.8))
for ax, kernel in zip(axes.flat, filters, strict=True):
    limit = kernel.abs().max().item()
    ax.imshow(kernel[0].numpy(), cmap="coolwarm", vmin=-limit, vmax=limit)
    ax.axis("off")
fig.suptitle("Ядра первой свёртки после обучения")
save_figure(fig, "cnn_filters")

model.eval()
with torch.no_grad():
    sample = X_test[:1]
    first_maps = model[:3](sample)[0].cpu()  # свёртка → BatchNorm → ReLU
    second_maps = model[:7](sample)[0].cpu()
fig, axes = plt.subplots(3, 8, figsize=(10, 4.2))
axes[0, 0].imshow(sample[0, 0].cpu().numpy(), cmap="gray")
axes[0, 0].set_title("вход")
for ax, feature_map in zip(axes[0, 1:], first_maps[:7], strict=True):
    ax.imshow(feature_map.numpy(), cmap="viridis")
for ax, feature_map in zip(axes[1], first_maps[7:15], strict=True):
    ax.imshow(feature_map.numpy(), cmap="viridis")
for ax, feature_map in zip(axes[2], second_maps[:8], strict=True):
    ax.imshow(feature_map.numpy(), cmap="viridis")
for ax in axes.flat:
    ax.axis("off")
fig.suptitle("Карты признаков: блок 1 (28×28, ряды 1–2) и блок 2 (14×14, ряд 3)")
save_figure(fig, "cnn_feature_maps")

# %%
# Что дальше
# ----------
# Сеть из трёх свёрточных блоков уже почти не ошибается на цифрах. Сделать её
# намного глубже просто так не выйдет: обучение начинает буксовать. Как это лечат
# обходными связями, покажет урок 2.3 (ResNet).
