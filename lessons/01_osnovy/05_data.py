"""
Данные: Dataset и DataLoader
============================

До сих пор мы держали все данные в одном тензоре и подавали их модели целиком. Настоящие
наборы данных так не работают: они не помещаются в память, их нужно перемешивать,
резать на батчи, дополнять случайными искажениями. В PyTorch за это отвечают два класса:
``Dataset`` знает, *что* лежит под номером ``i``, а ``DataLoader`` решает, *в каком порядке*
и *какими батчами* эти примеры попадут в модель.

Запуск: ``kurs run 1.5`` (или ``kurs run data``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------
# Рабочие процессы загрузчика (о них ниже) урок включает только в полном режиме и только
# в Linux: почему — объясним в разделе про ``num_workers``.

import multiprocessing
import sys
import time

import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, Dataset, Subset, TensorDataset, random_split
from tqdm import tqdm

from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Гиперпараметры
batch_size = 64
num_workers = 2 if not opts.quick and sys.platform == "linux" else 0
noise_std = 0.1

# %%
# TensorDataset: тензоры, которые уже лежат в памяти
# --------------------------------------------------
# Если признаки и ответы уже собраны в тензоры, хватит готового ``TensorDataset``.
# Его элемент под номером ``i`` — кортеж из ``i``-х строк всех переданных тензоров.

toy_X = torch.randn(100, 3)
toy_y = (toy_X.sum(dim=1) > 0).long()
toy_dataset = TensorDataset(toy_X, toy_y)
toy_features, toy_label = toy_dataset[7]
print(f"В TensorDataset {len(toy_dataset)} примеров; пример 7: {toy_features}, метка {toy_label}")

# DataLoader нарезает 100 примеров на батчи по 32: последний батч получается неполным.
toy_batch_sizes = [len(xb) for xb, yb in DataLoader(toy_dataset, batch_size=32)]
toy_batch_sizes_drop_last = [
    len(xb) for xb, yb in DataLoader(toy_dataset, batch_size=32, drop_last=True)
]
print(f"Размеры батчей: {toy_batch_sizes}; с drop_last=True: {toy_batch_sizes_drop_last}")

# %%
# Свой Dataset
# ------------
# Чтобы сделать свой набор данных, достаточно унаследоваться от ``Dataset`` и написать два
# метода: ``__len__`` (сколько примеров) и ``__getitem__`` (пример по номеру). Возьмём
# рукописные цифры 8×8 из scikit-learn — они поставляются вместе с библиотекой, скачивать
# ничего не нужно. Яркость пикселя там от 0 до 16; делим на 16, чтобы получить [0, 1].
# Форма картинки — (1, 8, 8): один канал, как у чёрно-белого изображения в PyTorch.


class DigitsDataset(Dataset):
    """Цифры 8×8 из scikit-learn: пара (картинка (1, 8, 8) float32 в [0, 1], метка int64)."""

    def __init__(self, transform=None):
        digits = load_digits()
        self.images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
        self.labels = torch.tensor(digits.target, dtype=torch.int64)
        self.transform = transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        image = self.images[index]
        # Преобразование применяется при каждом обращении: случайное — каждый раз своё.
        if self.transform is not None:
            image = self.transform(image)
        return image, self.labels[index]


digits = DigitsDataset()
image, label = digits[0]
print(f"Примеров: {len(digits)}; картинка {tuple(image.shape)} {image.dtype}, метка {label}")
print(f"Яркость от {image.min():.2f} до {image.max():.2f}")

# %%
# Посмотрим на данные
# -------------------
# Прежде чем обучать модель, полезно взглянуть на примеры своими глазами: совпадают ли
# картинки с метками, не перевёрнуты ли они.

fig, axes = plt.subplots(2, 6, figsize=(9, 3.6))
for index, ax in enumerate(axes.flat):
    image, label = digits[index]
    ax.imshow(image[0].numpy(), cmap="gray_r")
    ax.set_title(f"метка {label.item()}")
    ax.axis("off")
fig.suptitle("Первые примеры набора цифр 8×8")
save_figure(fig, "digits_grid")

# %%
# Батчи
# -----
# ``DataLoader`` берёт по ``batch_size`` примеров и склеивает картинки в тензор
# (64, 1, 8, 8), а метки — в тензор (64,). 1797 = 28 · 64 + 5, поэтому последний батч
# состоит из 5 примеров. Если неполный батч мешает (скажем, BatchNorm из урока 1.4 в
# режиме train не принимает батч из одного примера), его отбрасывают параметром
# ``drop_last=True``.

loader = DataLoader(digits, batch_size=batch_size)
images, labels = next(iter(loader))
print(f"Батч картинок {tuple(images.shape)}, батч меток {tuple(labels.shape)}")
batch_sizes = [len(labels) for images, labels in loader]
print(f"Батчей: {len(loader)}, последний из {batch_sizes[-1]} примеров")
num_batches_drop_last = len(DataLoader(digits, batch_size=batch_size, drop_last=True))
print(f"С drop_last=True батчей: {num_batches_drop_last}")

# %%
# Перемешивание
# -------------
# Эпоха — один проход по всему набору данных. С ``shuffle=True`` загрузчик в начале
# каждой эпохи заново тасует номера примеров: за эпоху каждый пример встречается ровно
# один раз, но порядок в каждой эпохе свой. Номера выбирает *сэмплер*, а увидеть их
# можно через ``loader.batch_sampler``. Собственный генератор ``torch.Generator`` с
# зерном делает порядок воспроизводимым и не зависит от того, сколько случайных чисел
# потратил остальной код.

shuffled_loader = DataLoader(
    digits, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(42)
)
epoch_orders = [[i for batch in shuffled_loader.batch_sampler for i in batch] for _ in range(2)]
print(f"Эпоха 1 начинается с номеров {epoch_orders[0][:8]}")
print(f"Эпоха 2 начинается с номеров {epoch_orders[1][:8]}")

# Два загрузчика с одинаковым зерном выдают одни и те же батчи.
first_labels = []
for attempt in range(2):
    seeded_loader = DataLoader(
        digits, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(7)
    )
    first_labels.append(next(iter(seeded_loader))[1])
same_order_with_seed = torch.equal(first_labels[0], first_labels[1])
print(f"Одинаковое зерно — одинаковый первый батч: {same_order_with_seed}")

# %%
# Рабочие процессы: ``num_workers``
# ---------------------------------
# При ``num_workers=0`` примеры готовит тот же процесс, что обучает модель, — по очереди с
# обучением. При ``num_workers > 0`` загрузчик запускает столько отдельных процессов; каждый
# собирает свои батчи (читает файлы, декодирует картинки, применяет аугментации), пока
# модель занята предыдущим батчем. Это окупается, когда подготовка примера дорогая; наши
# цифры уже лежат в памяти, так что в полном режиме урок измерит эпоху с процессами и без.
#
# Как создаётся процесс, зависит от системы и версии Python. В Linux до Python 3.13
# включительно по умолчанию действует ``fork``: новый процесс — копия текущего со всеми
# его переменными. С Python 3.14 Linux по умолчанию берёт ``forkserver``, а Windows и
# macOS — ``spawn``: тогда рабочий процесс заново импортирует ваш файл, а набор данных
# получает упакованным через pickle. Поэтому код с ``num_workers > 0`` в таких системах
# прячут под ``if __name__ == "__main__":`` — иначе каждый процесс начнёт выполнять
# программу с начала. Урок так не устроен, и в Linux он явно просит ``fork``
# (``multiprocessing_context="fork"``), а в остальных системах оставляет ``num_workers=0``.
#
# Ещё два параметра. ``persistent_workers=True`` не перезапускает рабочие процессы в
# начале каждой эпохи. ``pin_memory=True`` кладёт батчи в закреплённую (page-locked)
# память, из которой видеокарта может забирать данные, пока программа идёт дальше, —
# но только если попросить об этом: ``images.to(device, non_blocking=True)``. Без
# ``non_blocking=True`` программа ждёт конца каждой копии, а без ускорителя
# ``pin_memory`` ничего не делает (PyTorch об этом предупредит).

default_start_method = multiprocessing.get_start_method()
print(f"Способ запуска процессов по умолчанию здесь: {default_start_method}")

epoch_seconds = {}
for workers in sorted({0, num_workers}):
    worker_options = {"multiprocessing_context": "fork"} if workers > 0 else {}
    workers_loader = DataLoader(
        digits,
        batch_size=batch_size,
        num_workers=workers,
        pin_memory=device.type == "cuda",
        **worker_options,
    )
    start = time.perf_counter()
    num_seen = 0
    for images, labels in tqdm(workers_loader, desc=f"Эпоха, num_workers={workers}"):
        batch_pinned = images.is_pinned()
        images = images.to(device, non_blocking=True)  # так батч попадает на устройство
        labels = labels.to(device, non_blocking=True)
        num_seen += len(labels)
    epoch_seconds[workers] = time.perf_counter() - start
    print(f"num_workers={workers}: {num_seen} примеров за {epoch_seconds[workers]:.3f} с")
print(f"Батч в закреплённой памяти: {batch_pinned}")

# %%
# Обучающая и валидационная части
# -------------------------------
# На валидационной части следят за обучением и выбирают гиперпараметры; окончательную
# оценку делают на отдельной тестовой части, которую до конца не трогают (урок 1.7).
# ``random_split`` делит набор случайно; генератор с зерном делает деление одинаковым при
# каждом запуске — иначе валидационные примеры в следующий раз окажутся в обучающих. Доли
# можно задать дробями: 80 % и 20 %. Части — это ``Subset``: они не копируют данные,
# а хранят номера примеров исходного набора в поле ``indices``.

train_part, val_part = random_split(digits, [0.8, 0.2], generator=torch.Generator().manual_seed(0))
print(f"Обучающая часть: {len(train_part)}, валидационная: {len(val_part)}")
overlap = set(train_part.indices) & set(val_part.indices)
print(f"Общих примеров у частей: {len(overlap)}")

# %%
# Преобразования и аугментация
# ----------------------------
# Преобразование — любая функция, которая принимает картинку и возвращает картинку.
# Нормализация вычитает среднюю яркость и делит на стандартное отклонение. Аугментация
# случайно искажает пример, чтобы модель видела каждый раз немного другую картинку:
# здесь это лёгкий шум. Зеркальное отражение, привычное для фотографий, цифрам не
# подходит — отражённая «3» уже не тройка. Готовые преобразования есть в
# ``torchvision.transforms.v2``: это такие же функции от картинки. Среднее и стандартное
# отклонение считаем только по обучающей части: валидационная не должна влиять ни на
# что в обучении.

pixel_mean = digits.images[train_part.indices].mean().item()
pixel_std = digits.images[train_part.indices].std().item()


def normalize(image):
    return (image - pixel_mean) / pixel_std


def add_noise(image):
    return image + noise_std * torch.randn_like(image)


def train_transform(image):
    return add_noise(normalize(image))


normalized_digits = DigitsDataset(transform=normalize)
noisy_digits = DigitsDataset(transform=train_transform)
# Данные в памяти не меняются: преобразование срабатывает при выдаче примера.
train_normalized = torch.stack([normalized_digits[i][0] for i in train_part.indices])
print(f"До нормализации: среднее {pixel_mean:.3f}, стандартное отклонение {pixel_std:.3f}")
print(
    f"После нормализации: среднее {train_normalized.mean():.3f}, "
    f"стандартное отклонение {train_normalized.std():.3f}"
)

# Аугментация нужна только при обучении: валидационную часть оцениваем на чистых картинках.
# random_split этого не умеет (обе части смотрят в один набор), поэтому строим два набора
# с разными преобразованиями и берём из каждого свои номера.
train_set = Subset(noisy_digits, train_part.indices)
val_set = Subset(normalized_digits, val_part.indices)
noise_in_train = train_set[0][0] - normalize(digits[train_part.indices[0]][0])
print(f"Шум в обучающем примере: стандартное отклонение {noise_in_train.std():.3f}")

# %%
# Склейка батча: ``collate_fn``
# -----------------------------
# Склеивать примеры в батч умеет функция ``collate_fn``. Стандартная кладёт тензоры друг
# на друга и требует одинаковой формы. Последовательности разной длины (предложения,
# временные ряды) так не склеишь — допишем короткие нулями до самой длинной в батче и
# вернём настоящие длины. Заодно видно, что набором данных может быть и обычный список.

sequences = [torch.arange(1, n + 1, dtype=torch.float32) for n in (3, 5, 2, 4)]
try:
    next(iter(DataLoader(sequences, batch_size=4)))
    default_collate_failed = False
except RuntimeError:
    default_collate_failed = True
    print("Стандартная склейка не справилась: у последовательностей разная длина")


def pad_collate(batch):
    lengths = torch.tensor([len(sequence) for sequence in batch])
    padded = torch.nn.utils.rnn.pad_sequence(batch, batch_first=True, padding_value=0.0)
    return padded, lengths


padded_batch, padded_lengths = next(
    iter(DataLoader(sequences, batch_size=4, collate_fn=pad_collate))
)
print(f"Склеенный батч {tuple(padded_batch.shape)}, длины {padded_lengths.tolist()}")
print(padded_batch)

# %%
# Что дальше
# ----------
# Теперь эпоха обучения выглядит так: ``for images, labels in train_loader:`` — и внутри
# тот же цикл из урока 1.4: прямой проход, функция потерь, ``zero_grad()``,
# ``backward()``, ``step()``. В уроках 1.6–1.8 этот цикл обучит первые модели (в уроке
# 1.7 — классификатор этих самых цифр), а в уроке 1.9 мы научимся их сохранять.
