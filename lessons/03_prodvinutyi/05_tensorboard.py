"""
TensorBoard
===========

До сих пор мы следили за обучением по строчкам в терминале и по картинкам, которые урок
рисовал в конце. TensorBoard — это веб-страница, на которой кривые растут прямо во время
обучения, а запуски с разными настройками лежат рядом на одном графике. PyTorch пишет
для неё журналы классом ``torch.utils.tensorboard.SummaryWriter``. В этом уроке мы обучим
небольшую свёрточную сеть на цифрах MNIST с двумя скоростями обучения и запишем всё, что
умеет показывать TensorBoard: числа, картинки, гистограммы весов, граф модели и таблицу
гиперпараметров. А потом прочитаем журналы обратно — тем же кодом, которым их читает
сама TensorBoard.

Запуск: ``kurs run 3.5`` (или ``kurs run tensorboard``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------
# Пакет ``tensorboard`` ставится вместе с курсом. Без него строчка
# ``from torch.utils.tensorboard import SummaryWriter`` упадёт с ошибкой импорта —
# тогда ``pip install tensorboard``.

import shutil
import warnings

import matplotlib.pyplot as plt
import torch
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from torch import nn
from torch.utils.data import DataLoader, Subset
from torch.utils.tensorboard import SummaryWriter
from torchvision.transforms import v2
from torchvision.utils import make_grid

from kurs.data import DATASET_INFO, dataset_class, prepare
from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Гиперпараметры
batch_size = 64
num_epochs = 2 if opts.quick else 4
learning_rates = (0.01, 0.001)  # один запуск на каждую скорость обучения
log_every = 10  # потери на обучении пишем каждые 10 шагов
train_limit = 1500 if opts.quick else None  # в быстром режиме — часть обучающих картинок
logdir = opts.out / "runs"  # сюда пишут журналы все запуски урока

# %%
# Данные
# ------
# Те же цифры MNIST, что в разделе 2 (``--dataset`` выбирает другой набор).

info = DATASET_INFO[opts.dataset]
root = prepare(opts.dataset, opts.data)
Dataset = dataset_class(opts.dataset)
transform = v2.Compose(
    [v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize(info.mean, info.std)]
)
train_set = Dataset(root, train=True, download=False, transform=transform)
test_set = Dataset(root, train=False, download=False, transform=transform)
if train_limit is not None:
    train_set = Subset(train_set, torch.randperm(len(train_set))[:train_limit].tolist())
test_loader = DataLoader(test_set, batch_size=500)
print(f"Обучение: {len(train_set)} картинок, тест: {len(test_set)}")

# %%
# Модель
# ------
# Две свёртки с пулингом и линейный слой — сеть из урока 2.2, только поменьше.


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(info.channels, 8, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Linear(16 * (info.size // 4) ** 2, len(info.classes))

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


def evaluate(model, criterion):
    """Потери и доля верных ответов (accuracy) на тестовой части."""
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for images, labels in test_loader:
            images, labels = images.to(device), labels.to(device)
            logits = model(images)
            total_loss += criterion(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum().item()
    return total_loss / len(test_set), correct / len(test_set)


# %%
# Один запуск — одна папка журнала
# --------------------------------
# ``SummaryWriter(log_dir)`` создаёт папку и пишет в неё файл событий
# ``events.out.tfevents.…``. TensorBoard считает каждую папку с таким файлом отдельным
# запуском (run) и рисует запуски рядом, поэтому каждой настройке — своя папка:
# ``runs/lr=0.01``, ``runs/lr=0.001``. Всё, что пишет ``SummaryWriter``, привязано к тегу
# (имени кривой; косая черта группирует кривые в разделы) и к номеру шага.
#
# * ``add_scalar(тег, число, шаг)`` — точка на кривой (вкладка SCALARS);
# * ``add_image(тег, картинка, шаг)`` — картинка (C, H, W) с числами в [0, 1] (IMAGES);
# * ``add_histogram(тег, тензор, шаг)`` — распределение значений, например весов слоя
#   (HISTOGRAMS и DISTRIBUTIONS);
# * ``add_graph(модель, пример входа)`` — граф модели: PyTorch прогоняет пример через модель
#   и записывает, какие слои в каком порядке сработали (GRAPHS);
# * ``add_hparams(гиперпараметры, итоговые метрики)`` — строка в таблице сравнения
#   запусков (HPARAMS).
#
# Журналы прошлого запуска урока удаляем, чтобы в папках остались только записи этого:
# новый SummaryWriter не стирает старые файлы, а добавляет к ним свой.

shutil.rmtree(logdir, ignore_errors=True)
final_results = {}

for lr in learning_rates:
    torch.manual_seed(0)  # одинаковые начальные веса и порядок батчей у всех запусков
    model = SmallCNN().to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    writer = SummaryWriter(log_dir=str(logdir / f"lr={lr}"))

    # Граф модели и примеры входных картинок — один раз в начале.
    example_images, example_labels = next(iter(train_loader))
    with warnings.catch_warnings():
        # add_graph строит граф через torch.jit.trace, который PyTorch объявил устаревшим;
        # предупреждение об этом — не о нашем коде, поэтому прячем его.
        warnings.simplefilter("ignore", FutureWarning)
        writer.add_graph(model, example_images.to(device))
    grid = make_grid(example_images[:32], nrow=8, normalize=True)  # яркость снова в [0, 1]
    writer.add_image("examples/train", grid, 0)

    step = 0
    for epoch in range(num_epochs):
        model.train()
        for images, labels in train_loader:
            images, labels = images.to(device), labels.to(device)
            loss = criterion(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            if step % log_every == 0:
                writer.add_scalar("loss/train", loss.item(), step)
        test_loss, test_accuracy = evaluate(model, criterion)
        writer.add_scalar("loss/test", test_loss, step)
        writer.add_scalar("accuracy/test", test_accuracy, step)
        for name, parameter in model.named_parameters():
            writer.add_histogram(name, parameter, step)  # «features.0.weight» и другие
        print(f"lr={lr} эпоха {epoch + 1}: потери {test_loss:.4f}, доля верных {test_accuracy:.4f}")

    # Таблица гиперпараметров. По умолчанию add_hparams заводит для этой строки ещё одну
    # подпапку с отметкой времени; run_name="." оставляет её в папке самого запуска, и
    # TensorBoard показывает один запуск на одну настройку. Имена метрик берём свои
    # (hparam/…), чтобы они не смешались с кривыми add_scalar.
    writer.add_hparams(
        {"lr": lr, "batch_size": batch_size, "num_epochs": num_epochs},
        {"hparam/test_accuracy": test_accuracy, "hparam/test_loss": test_loss},
        run_name=".",
    )
    writer.close()  # дописывает всё из буфера на диск
    final_results[lr] = test_accuracy

best_lr = max(final_results, key=final_results.get)
best_accuracy = final_results[best_lr]
print(f"Лучшая скорость обучения: {best_lr}, доля верных ответов {best_accuracy:.4f}")

# %%
# Как открыть TensorBoard
# -----------------------
# В терминале (с активированным окружением курса):
#
# .. code-block:: bash
#
#    tensorboard --logdir kurs_output/tensorboard/runs
#
# (это папка ``kurs run 3.5``; урок печатает её ниже) и откройте в браузере адрес, который
# напечатает TensorBoard (обычно http://localhost:6006).
# Страница обновляется сама, поэтому её можно открыть до обучения и смотреть, как растут
# кривые. В Jupyter то же самое делают две строки: ``%load_ext tensorboard`` и
# ``%tensorboard --logdir kurs_output/tensorboard/runs``. На вкладке SCALARS включите оба
# запуска — кривые ``loss/train`` лягут рядом; на HPARAMS — таблица «скорость обучения →
# доля верных ответов».

print(f"Журналы: {logdir}")
print(f"Открыть: tensorboard --logdir {logdir}")

# %%
# Журналы — обычные файлы
# -----------------------
# TensorBoard читает их классом ``EventAccumulator``; им можно воспользоваться и самим,
# например чтобы построить сравнение запусков в своём отчёте. ``size_guidance`` говорит,
# сколько событий каждого вида хранить (0 — все; по умолчанию гистограмм хранится
# всего одна).

logged = {}
for lr in learning_rates:
    accumulator = EventAccumulator(str(logdir / f"lr={lr}"), size_guidance={"scalars": 0})
    accumulator.Reload()  # читает все файлы событий в папке
    logged[lr] = {
        tag: [(event.step, event.value) for event in accumulator.Scalars(tag)]
        for tag in ("loss/train", "accuracy/test")
    }
    tags = accumulator.Tags()
    print(f"lr={lr}: числа {tags['scalars']}")
    print(f"        картинки {tags['images']}, гистограммы {len(tags['histograms'])} тегов")
    print(f"        граф записан: {tags['graph']}")

fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4))
for lr in learning_rates:
    steps, values = zip(*logged[lr]["loss/train"], strict=True)
    ax_loss.plot(steps, values, label=f"lr = {lr}")
    steps, values = zip(*logged[lr]["accuracy/test"], strict=True)
    ax_acc.plot(steps, values, marker="o", label=f"lr = {lr}")
ax_loss.set_xlabel("шаг")
ax_loss.set_ylabel("потери на батче")
ax_loss.set_title("loss/train из журналов TensorBoard")
ax_loss.legend()
ax_acc.set_xlabel("шаг")
ax_acc.set_ylabel("доля верных ответов")
ax_acc.set_title("accuracy/test из журналов TensorBoard")
ax_acc.legend()
save_figure(fig, "tensorboard_runs")

# %%
# Итоги
# -----
# * Одна настройка — одна папка ``SummaryWriter``; сравнивать запуски TensorBoard умеет сама.
# * Каждый шаг записывать не нужно: кривой хватает точки раз в ``log_every`` шагов.
# * ``writer.close()`` (или ``with SummaryWriter(...) as writer:``) — чтобы последние
#   записи не остались в буфере.
# * Журналы читаются и без браузера: ``EventAccumulator`` отдаёт те же числа, что
#   нарисованы на странице.
