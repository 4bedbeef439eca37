"""
Изображения и torchvision
=========================

В разделе 1 цифры были крошечными (8×8) и лежали в одном тензоре. Теперь возьмём
настоящий MNIST — рукописные цифры 28×28 — и прочитаем его так, как читают картинки
в реальных проектах: классом из ``torchvision.datasets``, цепочкой преобразований
``torchvision.transforms.v2`` и загрузчиком ``DataLoader``. В конце обучим на этих
картинках полносвязную сеть из урока 1.8: её доля верных ответов станет планкой,
которую свёрточная сеть из урока 2.2 должна превзойти.

По умолчанию урок берёт 5000 настоящих цифр MNIST, которые приезжают вместе с курсом
(4000 для обучения, 1000 для теста) и работают без интернета. Другие наборы:
``--dataset fashion-mnist`` (одежда), ``mnist-full``, ``cifar10`` (цветные картинки).

Запуск: ``kurs run 2.1`` (или ``kurs run images``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------

import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision.transforms import v2
from torchvision.utils import make_grid
from tqdm import trange

from kurs.data import DATASET_INFO, dataset_class, prepare
from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Гиперпараметры
batch_size = 100
hidden_sizes = (128, 64)  # как у сети из урока 1.8
dropout_p = 0.2
num_epochs = 3 if opts.quick else 10
lr = 1e-3

# %%
# Набор данных из torchvision
# ---------------------------
# ``prepare`` только следит, чтобы файлы лежали на диске (и печатает, где именно);
# читает их сам torchvision. Класс ``datasets.MNIST`` ищет в папке ``root`` файлы
# ``MNIST/raw/train-images-idx3-ubyte`` и остальные три — ровно в том виде, в каком
# их публикуют авторы набора. С ``download=True`` он бы скачал их сам; у нас они уже
# есть, поэтому ``download=False``. Для Fashion-MNIST и CIFAR-10 устроено так же, меняется
# только класс: ``datasets.FashionMNIST``, ``datasets.CIFAR10``. Для своих картинок,
# разложенных по папкам с именами классов, есть ``datasets.ImageFolder``.

info = DATASET_INFO[opts.dataset]
root = prepare(opts.dataset, opts.data)
Dataset = dataset_class(opts.dataset)
raw_train_set = Dataset(root, train=True, download=False)  # без преобразований
image, label = raw_train_set[0]
print(f"{Dataset.__name__}: {len(raw_train_set)} картинок для обучения")
print(f"Элемент набора: {type(image).__name__} {image.size}, режим {image.mode}; метка {label}")

# %%
# Без преобразований набор отдаёт картинку в формате PIL — библиотеки, которой
# Python открывает изображения, — и метку-число. Модель же ждёт тензор
# (каналы, высота, ширина) с дробными числами. Превращение — дело преобразований.

# %%
# Преобразования transforms.v2
# ----------------------------
# Каждое преобразование — вызываемый объект; ``v2.Compose`` выстраивает их в цепочку.
#
# * ``v2.ToImage()`` — PIL в тензор ``uint8`` формы (C, H, W): у MNIST один канал;
# * ``v2.ToDtype(torch.float32, scale=True)`` — в ``float32``, и ``scale=True`` делит
#   на 255, чтобы яркость оказалась в [0, 1];
# * ``v2.Normalize(mean, std)`` — из каждого канала вычитает среднее и делит на
#   стандартное отклонение: x' = (x − mean) / std.
#
# Разберём цепочку по шагам на одной картинке.

to_image = v2.ToImage()
to_float = v2.ToDtype(torch.float32, scale=True)
normalize = v2.Normalize(info.mean, info.std)

image_uint8 = to_image(image)
image_float = to_float(image_uint8)
image_normalized = normalize(image_float)
for name, tensor in (
    ("ToImage", image_uint8),
    ("ToDtype", image_float),
    ("Normalize", image_normalized),
):
    print(
        f"{name:>9}: {tuple(tensor.shape)} {tensor.dtype}, "
        f"от {tensor.min().item():.4g} до {tensor.max().item():.4g}"
    )

# %%
# Откуда берутся числа для Normalize
# ----------------------------------
# Среднее и стандартное отклонение считают по обучающей части, по всем пикселям
# всех картинок (у цветных — отдельно по каждому каналу). Посчитаем сами и сравним
# с числами, которые ``kurs.data`` хранит для набора (для MNIST это знаменитые
# 0.1307 и 0.3081, посчитанные по всем 60 000 цифрам). Тестовую часть не трогаем:
# всё, что модель «знает» о данных, должно браться только из обучения. Для больших
# наборов хватает первых 10 000 картинок.

stats_set = Dataset(root, train=True, download=False, transform=v2.Compose([to_image, to_float]))
stats_images = next(iter(DataLoader(stats_set, batch_size=min(10_000, len(stats_set)))))[0]
pixel_mean = stats_images.mean(dim=(0, 2, 3))
pixel_std = stats_images.std(dim=(0, 2, 3))
print(f"Среднее по каналам: {pixel_mean.tolist()} (в kurs.data: {list(info.mean)})")
print(f"Стандартное отклонение: {pixel_std.tolist()} (в kurs.data: {list(info.std)})")

# %%
# После Normalize пиксели обучающей части имеют среднее около 0 и стандартное
# отклонение около 1 — в таком масштабе данные обычно и подают в сеть.

normalized_images = normalize(stats_images)
normalized_mean = normalized_images.mean().item()
normalized_std = normalized_images.std().item()
print(
    f"После Normalize: среднее {normalized_mean:.3f}, стандартное отклонение {normalized_std:.3f}"
)

# %%
# Аугментации: та же цифра, но чуть иначе
# ---------------------------------------
# Случайные преобразования (аугментации) при каждом обращении к картинке искажают её
# немного по-новому: поворачивают, сдвигают, растягивают. Сеть видит в каждой эпохе
# «новые» картинки — так её отучают заучивать обучающие наизусть. Аугментации
# применяют только к обучающей части: тестовую часть оценивают такой, какая она есть.
#
# Аугментация не должна менять ответ. Цифру можно слегка повернуть, а вот отражать
# зеркально нельзя: отражённая 2 — уже не двойка, и такая «аугментация» учила бы сеть
# неправде. Для котов и самолётов из CIFAR-10 ``RandomHorizontalFlip`` как раз хорош.

augmentations = {
    "поворот до 20°": v2.RandomRotation(degrees=20),
    "сдвиг": v2.RandomAffine(degrees=0, translate=(0.15, 0.15)),
    "масштаб": v2.RandomAffine(degrees=0, scale=(0.7, 1.2)),
    "случайный кадр": v2.RandomResizedCrop(info.size, scale=(0.6, 1.0), antialias=True),
    "упругая деформация": v2.ElasticTransform(alpha=40.0),
    "стирание куска": v2.RandomErasing(p=1.0, scale=(0.05, 0.15)),
    "зеркало (нельзя!)": v2.RandomHorizontalFlip(p=1.0),
}
demo_image = to_image(raw_train_set[2][0])  # третья картинка обучающей части
augmented = {name: transform(demo_image) for name, transform in augmentations.items()}
for name, result in augmented.items():
    changed = (result != demo_image).float().mean().item()
    print(f"{name:>20}: форма {tuple(result.shape)}, изменилось {changed:.0%} пикселей")

fig, axes = plt.subplots(1, len(augmented) + 1, figsize=(2 * (len(augmented) + 1), 2.6))
for ax, (name, picture) in zip(axes, {"оригинал": demo_image, **augmented}.items(), strict=True):
    ax.imshow(picture.permute(1, 2, 0).squeeze().numpy(), cmap="gray")
    ax.set_title(name, fontsize=9)
    ax.axis("off")
fig.suptitle("Аугментации transforms.v2 на настоящей цифре")
save_figure(fig, "images_augmentations")

# %%
# Одна и та же цепочка случайных преобразований даёт при каждом вызове новую картинку.
# Вот как выглядела бы эта цифра в восьми эпохах обучения:

train_augment = v2.Compose([v2.RandomAffine(degrees=15, translate=(0.1, 0.1), scale=(0.9, 1.1))])
epoch_views = torch.stack([train_augment(demo_image) for _ in range(8)])
fig, axes = plt.subplots(1, 8, figsize=(12, 1.8))
for ax, picture in zip(axes, epoch_views, strict=True):
    ax.imshow(picture.permute(1, 2, 0).squeeze().numpy(), cmap="gray")
    ax.axis("off")
fig.suptitle("Одна цифра, восемь случайных искажений")
save_figure(fig, "images_epoch_views")

# %%
# DataLoader: батчи картинок
# --------------------------
# Теперь соберём наборы с полной цепочкой преобразований. ``DataLoader`` берёт из
# набора ``batch_size`` картинок, прогоняет каждую через ``transform`` и складывает
# в один тензор формы (батч, каналы, высота, ширина). ``shuffle=True`` перемешивает
# обучающую часть в каждой эпохе. Рабочие процессы (``num_workers``, урок 1.5) здесь
# не включаем: набор маленький, и урок одинаково запускается в любой системе.

transform = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True), normalize])
train_set = Dataset(root, train=True, download=False, transform=transform)
test_set = Dataset(root, train=False, download=False, transform=transform)
train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
test_loader = DataLoader(test_set, batch_size=1000)

images, labels = next(iter(train_loader))
print(
    f"Батч картинок: {tuple(images.shape)} {images.dtype}; меток: {tuple(labels.shape)} {labels.dtype}"
)
print(f"Батчей за эпоху: {len(train_loader)}; в тестовой части картинок: {len(test_set)}")

# %%
# Сетка картинок: make_grid
# -------------------------
# ``torchvision.utils.make_grid`` раскладывает батч по сетке в одну картинку
# (по ``nrow`` в ряд, с рамкой ``padding`` пикселей) — удобно, чтобы быстро взглянуть
# на данные. Одноканальные картинки он превращает в трёхканальные. Перед показом
# отменяем Normalize: x = x' · std + mean.

grid_images = images[:64] * torch.tensor(info.std).view(-1, 1, 1) + torch.tensor(info.mean).view(
    -1, 1, 1
)
grid = make_grid(grid_images, nrow=8, padding=2)
print(f"Сетка 8×8: {tuple(grid.shape)}")

fig, ax = plt.subplots(figsize=(7, 7))
ax.imshow(grid.permute(1, 2, 0).clamp(0, 1).numpy())
cell = info.size + 2
for position, target in enumerate(labels[:64].tolist()):
    row, column = divmod(position, 8)
    ax.text(column * cell + 3, row * cell + 9, info.classes[target], color="yellow", fontsize=7)
ax.axis("off")
ax.set_title(f"Первый батч: {info.title}")
save_figure(fig, "images_grid")

# %%
# Базовая модель: полносвязная сеть
# ---------------------------------
# Сеть из урока 1.8 принимала вектор из 64 пикселей. Здесь картинка — тензор
# (1, 28, 28), и первым слоем ставим ``nn.Flatten()``: он вытягивает каждую картинку
# батча в вектор из 784 чисел, форма (батч, 1, 28, 28) становится (батч, 784).
# Дальше всё как раньше. Заметьте цену: у первого же слоя 784 · 128 весов, и ни один
# из них не знает, что пиксели — соседи. Как это исправить, покажет урок 2.2.

num_inputs = info.channels * info.size * info.size
num_classes = len(info.classes)
model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(num_inputs, hidden_sizes[0]),
    nn.ReLU(),
    nn.Dropout(dropout_p),
    nn.Linear(hidden_sizes[0], hidden_sizes[1]),
    nn.ReLU(),
    nn.Dropout(dropout_p),
    nn.Linear(hidden_sizes[1], num_classes),
).to(device)
num_parameters = sum(parameter.numel() for parameter in model.parameters())
flat_shape = tuple(model[0](images).shape)
print(model)
print(f"Flatten: {tuple(images.shape)} → {flat_shape}; параметров: {num_parameters}")

# %%
# Обучение
# --------
# Цикл тот же, что в разделе 1; только теперь батчи приходят из ``DataLoader``
# с картинками, и их нужно перенести на устройство модели.

criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=lr)


def evaluate(model, loader):
    """Доля верных ответов (accuracy) на всех батчах загрузчика."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            correct += (model(X).argmax(dim=1) == y).sum().item()
    return correct / len(loader.dataset)


train_losses, test_accuracies = [], []
progress = trange(num_epochs, desc="MLP")
for epoch in progress:
    model.train()
    epoch_loss = 0.0
    for X, y in train_loader:
        X, y = X.to(device), y.to(device)
        loss = criterion(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item() * len(X)
    train_losses.append(epoch_loss / len(train_set))
    test_accuracies.append(evaluate(model, test_loader))
    progress.set_postfix(loss=f"{train_losses[-1]:.4f}", accuracy=f"{test_accuracies[-1]:.3f}")

test_accuracy = test_accuracies[-1]
print(f"Потери на обучении: {train_losses[0]:.4f} → {train_losses[-1]:.4f}")
print(f"Доля верных ответов (accuracy) MLP на тестовой части: {test_accuracy:.4f}")

# %%
# Кривые обучения.

fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.5))
epochs = range(1, num_epochs + 1)
ax_loss.plot(epochs, train_losses, marker="o")
ax_loss.set_xlabel("эпоха")
ax_loss.set_ylabel("перекрёстная энтропия")
ax_loss.set_title("Потери на обучении")
ax_acc.plot(epochs, test_accuracies, marker="o")
ax_acc.set_xlabel("эпоха")
ax_acc.set_ylabel("доля верных ответов")
ax_acc.set_title("Тестовая часть")
save_figure(fig, "images_training")

# %%
# Что дальше
# ----------
# Полносвязная сеть неплохо читает цифры, но видит картинку как мешок из 784 чисел:
# ей всё равно, в каком порядке идут пиксели. Переставьте пиксели одинаково во всех
# картинках и так же переставьте столбцы весов первого слоя — ответы не изменятся.
# Свёрточная сеть из урока 2.2 использует то, что соседние пиксели связаны, и на том же
# разбиении ошибается заметно реже, хотя параметров у неё меньше.
