"""
ResNet: остаточные связи
========================

Свёрточная сеть из урока 2.2 обходится двумя свёртками. Кажется, что чем больше слоёв,
тем лучше, но простая (plain) сеть, если сделать её слишком глубокой, учится хуже
мелкой — даже на обучающих картинках. Это не переобучение, а трудность оптимизации;
её называют проблемой деградации. В 2015 году Кайминг Хе с соавторами нашли простое
лекарство — остаточный блок (residual block) с обходной связью: y = ReLU(F(x) + x).
Из таких блоков строят ResNet в десятки и сотни слоёв: в torchvision есть ResNet
из 18, 34, 50, 101 и 152 слоёв.

В уроке: остаточный блок своими руками; простая и остаточная сети одной глубины —
кривые обучения и нормы градиентов по слоям; ResNet-18 из наших блоков против
``torchvision.models.resnet18``; перенос обучения (transfer learning): сеть, обученная
на одних классах, дообучается на 50 картинках других и обгоняет такую же сеть,
обученную на тех же 50 картинках с нуля.

Запуск: ``kurs run 2.3`` (или ``kurs run resnet``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------

import copy

import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision.models import resnet18
from torchvision.transforms import v2
from tqdm import trange

from kurs.data import DATASET_INFO, dataset_class, prepare
from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Гиперпараметры: опыт с глубиной
depth_train_size = 2000  # первые 2000 картинок обучающей части: опыту их хватает
depth_batch_size = 50
width = 8  # каналов в каждом блоке: опыт про глубину, а не про ширину
deep_blocks = 15  # 15 блоков = 30 свёрток
shallow_blocks = 2
depth_epochs = 2
depth_lr = 0.05  # SGD с импульсом, как в статье о ResNet
# Гиперпараметры: перенос обучения
batch_size = 100
pretrain_epochs = 1 if opts.quick else 2
pretrain_lr = 3e-3
shots = 10  # картинок каждого нового класса для дообучения
finetune_epochs = 30
finetune_lr = 1e-3

# %%
# Данные
# ------
# Те же наборы, что в уроках 2.1 и 2.2. Картинок немного, поэтому один раз прогоним
# их через преобразования и сложим в тензоры, а батчи будем брать из ``TensorDataset``.

info = DATASET_INFO[opts.dataset]
root = prepare(opts.dataset, opts.data)
Dataset = dataset_class(opts.dataset)
transform = v2.Compose(
    [v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize(info.mean, info.std)]
)


def load_all(train):
    dataset = Dataset(root, train=train, download=False, transform=transform)
    return next(iter(DataLoader(dataset, batch_size=len(dataset))))


X_train, y_train = load_all(train=True)
X_test, y_test = load_all(train=False)
num_classes = len(info.classes)
print(f"Обучающая часть: {tuple(X_train.shape)}, тестовая: {tuple(X_test.shape)}")

# %%
# Остаточный блок
# ---------------
# Обычный блок свёрточной сети — две свёртки 3×3 с BatchNorm и ReLU; обозначим то, что
# он вычисляет, F(x). Остаточный блок прибавляет к результату сам вход:
#
#     y = ReLU(F(x) + x),   F(x) = BN(conv(ReLU(BN(conv(x))))).
#
# Слоям блока теперь нужно выучить не всё преобразование, а только поправку F(x) к
# входу. Если поправка не нужна, достаточно занулить F — и блок пропустит вход как
# есть. Простой сети, чтобы «ничего не делать», пришлось бы точно подобрать все веса.
#
# Когда блок меняет форму (страйд 2 уменьшает картинку вдвое, число каналов растёт),
# x и F(x) не сложить. Тогда вход приводят к нужной форме свёрткой 1×1 с тем же
# страйдом и BatchNorm. Имена слоёв (``conv1``, ``bn1``, ``downsample``…) — как в
# torchvision: ниже это позволит загрузить в нашу сеть веса из его ResNet-18.
# Флаг ``residual=False`` убирает обходную связь — так получим простую сеть
# той же глубины для честного сравнения.


class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1, residual=True):
        super().__init__()
        self.residual = residual
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if residual and (stride != 1 or in_channels != out_channels):
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x):
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        if self.residual:
            identity = x if self.downsample is None else self.downsample(x)
            out = out + identity  # обходная связь
        return self.relu(out)


block = BasicBlock(8, 8)
wider = BasicBlock(8, 16, stride=2)
x = torch.randn(4, 8, 14, 14)
block_shape, wider_shape = tuple(block(x).shape), tuple(wider(x).shape)
print(f"Блок 8→8:             {tuple(x.shape)} → {block_shape}")
print(f"Блок 8→16, страйд 2:  {tuple(x.shape)} → {wider_shape}")

# %%
# Проверим обещание «занулить F — и блок пропустит вход». Множитель γ последнего
# BatchNorm (``bn2.weight``) умножает весь выход F; обнулим его вместе со сдвигом β.
# Тогда F(x) = 0, и для неотрицательного входа (а выход предыдущего блока после ReLU
# всегда неотрицателен) y = ReLU(0 + x) = x. Так можно и инициализировать сеть: в
# torchvision это ``resnet18(zero_init_residual=True)``, и тогда в начале обучения каждый
# блок без ``downsample`` пропускает вход как есть — глубокая сеть ведёт себя как мелкая.

identity_block = BasicBlock(8, 8)
nn.init.zeros_(identity_block.bn2.weight)
nn.init.zeros_(identity_block.bn2.bias)
x_nonnegative = torch.relu(x)
with torch.no_grad():
    identity_error = (identity_block(x_nonnegative) - x_nonnegative).abs().max().item()
print(f"Блок с нулевым γ: наибольшее отличие выхода от входа {identity_error}")

# %%
# Проблема деградации
# -------------------
# Соберём три сети с одинаковым началом (свёртка со страйдом 2 и MaxPool: картинка
# 28×28 становится 7×7) и концом (среднее по картинке и линейный слой):
#
# * мелкая простая — 2 блока без обходных связей;
# * глубокая простая — 15 блоков без обходных связей, 31 свёрточный слой;
# * глубокая остаточная — те же 15 блоков, но с обходными связями.
#
# Все три учатся одинаково: SGD с импульсом, одинаковые скорость обучения, эпохи
# и порядок батчей. Будем следить за потерями на обучении — не на тесте: деградация —
# это когда сеть плохо подгоняется даже к тем картинкам, на которых учится. А на самом
# первом шаге запомним норму градиента весов каждой свёртки в блоках — как градиент
# распределяется по слоям сети, которая ещё ничему не научилась.


class DepthNet(nn.Module):
    def __init__(self, num_blocks, residual, in_channels, num_classes):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, width, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(width),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.blocks = nn.Sequential(
            *[BasicBlock(width, width, residual=residual) for _ in range(num_blocks)]
        )
        self.head = nn.Sequential(
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, num_classes)
        )

    def forward(self, x):
        return self.head(self.blocks(self.stem(x)))


depth_set = TensorDataset(X_train[:depth_train_size], y_train[:depth_train_size])
criterion = nn.CrossEntropyLoss()


def train_depth(model, name):
    """Обучает сеть; возвращает потери по шагам и нормы градиента свёрток на 1-м шаге."""
    convs = [m for m in model.blocks.modules() if isinstance(m, nn.Conv2d)]
    optimizer = torch.optim.SGD(model.parameters(), lr=depth_lr, momentum=0.9)
    loader = DataLoader(
        depth_set,
        batch_size=depth_batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(0),
    )
    losses, first_grads = [], None
    for epoch in trange(depth_epochs, desc=name):
        model.train()
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            loss = criterion(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            if first_grads is None:
                first_grads = [conv.weight.grad.norm().item() for conv in convs]
            optimizer.step()
            losses.append(loss.item())
    return losses, first_grads


depth_models, depth_losses, depth_grads = {}, {}, {}
for name, num_blocks, residual in (
    ("мелкая простая", shallow_blocks, False),
    ("глубокая простая", deep_blocks, False),
    ("глубокая остаточная", deep_blocks, True),
):
    torch.manual_seed(0)
    depth_models[name] = DepthNet(num_blocks, residual, info.channels, num_classes).to(device)
    depth_losses[name], depth_grads[name] = train_depth(depth_models[name], name)

steps_per_epoch = len(depth_losses["мелкая простая"]) // depth_epochs
final_losses = {
    name: sum(losses[-steps_per_epoch:]) / steps_per_epoch for name, losses in depth_losses.items()
}
grad_spread = {name: max(grads) / min(grads) for name, grads in depth_grads.items()}
for name in depth_losses:
    conv_count = len(depth_grads[name])
    print(
        f"{name:>19}: свёрток в блоках {conv_count:>2}, потери последней эпохи "
        f"{final_losses[name]:.3f}; градиенты на 1-м шаге: первой свёртки "
        f"{depth_grads[name][0]:.3g}, последней {depth_grads[name][-1]:.3g}, "
        f"от {min(depth_grads[name]):.3g} до {max(depth_grads[name]):.3g}, "
        f"наибольшая / наименьшая = {grad_spread[name]:.1f}"
    )

# %%
# Глубокая простая сеть учится хуже мелкой, хотя в принципе может всё то же, что и
# мелкая: ей хватило бы повторить мелкую, а лишние блоки превратить в почти тождественные.
# Но градиентный спуск к такому решению не приходит. Нормы градиентов на первом шаге
# показывают, что происходит с сигналом обучения: в простой сети, пройдя назад через
# три десятка свёрток с BatchNorm, он искажается, и у первых свёрток градиент в десятки
# раз больше, чем у последних. В остаточной сети у градиента есть короткий путь к
# каждому блоку по обходным связям, и нормы по слоям различаются в разы, а не в десятки
# раз. Остаточная сеть той же глубины учится лучше обеих простых.

fig, (ax_loss, ax_grad) = plt.subplots(1, 2, figsize=(12, 4))
window = 10  # скользящее среднее по 10 шагам, чтобы кривые не дрожали
for name, losses in depth_losses.items():
    smooth = torch.tensor(losses).unfold(0, window, 1).mean(dim=1)
    ax_loss.plot(range(window, len(losses) + 1), smooth, label=name)
ax_loss.set_xlabel("шаг")
ax_loss.set_ylabel("перекрёстная энтропия (обучение)")
ax_loss.set_title("Кривые обучения")
ax_loss.legend()
for name, grads in depth_grads.items():
    ax_grad.plot(range(1, len(grads) + 1), grads, marker=".", label=name)
ax_grad.set_yscale("log")
ax_grad.set_xlabel("номер свёртки в блоках, от входа к выходу")
ax_grad.set_ylabel("норма градиента весов")
ax_grad.set_title("Градиенты по слоям на первом шаге")
ax_grad.legend()
save_figure(fig, "resnet_degradation")

# %%
# ResNet-18: наши блоки против torchvision
# ----------------------------------------
# Настоящая ResNet-18 для картинок 224×224 — это «ствол» (свёртка 7×7 со страйдом 2,
# BatchNorm, ReLU, MaxPool), четыре стадии по два наших блока с 64, 128, 256 и 512
# каналами (каждая, кроме первой, начинается со страйда 2), среднее по картинке и
# линейный слой на 1000 классов ImageNet. Соберём её из ``BasicBlock`` и сравним с
# ``torchvision.models.resnet18(weights=None)`` — той же сетью без обученных весов
# (с ``weights=ResNet18_Weights.DEFAULT`` torchvision скачал бы веса, обученные на
# ImageNet; здесь мы обходимся без сети).


class ResNet18(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.layer1 = nn.Sequential(BasicBlock(64, 64), BasicBlock(64, 64))
        self.layer2 = nn.Sequential(BasicBlock(64, 128, stride=2), BasicBlock(128, 128))
        self.layer3 = nn.Sequential(BasicBlock(128, 256, stride=2), BasicBlock(256, 256))
        self.layer4 = nn.Sequential(BasicBlock(256, 512, stride=2), BasicBlock(512, 512))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(512, num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


ours = ResNet18()
reference = resnet18(weights=None)
ours_parameters = sum(p.numel() for p in ours.parameters())
reference_parameters = sum(p.numel() for p in reference.parameters())
print(f"Параметров: наша {ours_parameters:,}, torchvision {reference_parameters:,}")

# %%
# Совпадает не только число параметров. Загрузим веса сети torchvision в нашу
# (``strict=True`` требует, чтобы совпали все имена и формы) и подадим обеим одну
# картинку в режиме eval(): ответы должны совпасть.

ours.load_state_dict(reference.state_dict(), strict=True)
ours.eval()
reference.eval()
image = torch.randn(1, 3, 64, 64)
with torch.no_grad():
    resnet_output_error = (ours(image) - reference(image)).abs().max().item()
print(f"Выходы на одной картинке: наибольшая разница {resnet_output_error:.1e}")

# %%
# Перенос обучения
# ----------------
# Обученная сеть полезна и для новой задачи: её свёртки уже научились находить в
# картинках признаки, которые пригодятся и там. Рецепт: взять обученную сеть, заменить
# «голову» — последний линейный слой — на новый под свои классы и дообучить на своих
# данных, часто совсем небольших.
# С настоящей ResNet-18 это выглядит так:
#
#     model = resnet18(weights=ResNet18_Weights.DEFAULT)
#     model.fc = nn.Linear(model.fc.in_features, num_new_classes)
#
# Мы обойдёмся без скачивания. Разделим классы набора пополам: первая половина
# (у MNIST — цифры 0–4) — «большой набор» для предобучения, вторая (5–9) — новая
# задача, для которой размечено всего по ``shots`` картинок каждого класса. Сеть —
# маленькая ResNet из наших блоков: три стадии по одному блоку с 16, 32 и 64 каналами.


class SmallResNet(nn.Module):
    def __init__(self, in_channels, num_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        self.layer1 = BasicBlock(16, 16)
        self.layer2 = BasicBlock(16, 32, stride=2)
        self.layer3 = BasicBlock(32, 64, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


half = num_classes // 2
old_train = y_train < half
old_test = y_test < half
new_test = ~old_test
shot_generator = torch.Generator().manual_seed(0)
shot_index = torch.cat(
    [
        torch.nonzero(y_train == c).flatten()[
            torch.randperm(int((y_train == c).sum()), generator=shot_generator)[:shots]
        ]
        for c in range(half, num_classes)
    ]
)
X_old, y_old = X_train[old_train], y_train[old_train]
X_few, y_few = X_train[shot_index], y_train[shot_index] - half  # метки новых классов: 0…4
X_new_test, y_new_test = X_test[new_test], y_test[new_test] - half
print(f"Предобучение: {len(X_old)} картинок классов 0–{half - 1}")
print(f"Новая задача: {len(X_few)} картинок классов {half}–{num_classes - 1}")


def accuracy(model, X, y):
    """Доля верных ответов (accuracy); BatchNorm — в режиме eval()."""
    model.eval()
    with torch.no_grad():
        return (model(X.to(device)).argmax(dim=1) == y.to(device)).float().mean().item()


def fit(model, X, y, epochs, lr, batch, desc):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loader = DataLoader(TensorDataset(X, y), batch_size=batch, shuffle=True)
    for epoch in trange(epochs, desc=desc):
        model.train()
        for X_batch, y_batch in loader:
            X_batch, y_batch = X_batch.to(device), y_batch.to(device)
            loss = criterion(model(X_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


torch.manual_seed(0)
pretrained = SmallResNet(info.channels, half).to(device)
fit(pretrained, X_old, y_old, pretrain_epochs, pretrain_lr, batch_size, "Предобучение")
pretrain_accuracy = accuracy(pretrained, X_test[old_test], y_test[old_test])
print(f"Предобученная сеть на тестовых картинках классов 0–{half - 1}: {pretrain_accuracy:.3f}")

# %%
# Теперь две сети для новой задачи, обучение одинаковое — ``finetune_epochs`` эпох на
# тех же 50 картинках:
#
# * дообученная — копия предобученной с новой головой ``nn.Linear(64, 5)``;
# * с нуля — такая же сеть со случайными весами.

torch.manual_seed(0)
finetuned = copy.deepcopy(pretrained)
finetuned.fc = nn.Linear(finetuned.fc.in_features, num_classes - half).to(device)  # новая голова
fit(finetuned, X_few, y_few, finetune_epochs, finetune_lr, 25, "Дообучение")
finetune_accuracy = accuracy(finetuned, X_new_test, y_new_test)

torch.manual_seed(0)
scratch = SmallResNet(info.channels, num_classes - half).to(device)
fit(scratch, X_few, y_few, finetune_epochs, finetune_lr, 25, "С нуля")
scratch_accuracy = accuracy(scratch, X_new_test, y_new_test)
print(f"Тестовые картинки классов {half}–{num_classes - 1} ({len(X_new_test)} шт.):")
print(f"  дообученная сеть: {finetune_accuracy:.3f}")
print(f"  сеть с нуля:      {scratch_accuracy:.3f}")

# %%
# По 10 картинок на класс мало, чтобы научиться видеть с нуля, но достаточно, чтобы
# связать уже найденные признаки с новыми ответами. Поэтому на практике сеть для
# картинок обычно не учат с нуля, а берут обученную на ImageNet и дообучают.

fig, ax = plt.subplots(figsize=(5, 3.5))
bars = ax.bar(["дообученная", "с нуля"], [finetune_accuracy, scratch_accuracy])
ax.bar_label(bars, fmt="%.3f")
ax.set_ylim(0, 1)
ax.set_ylabel("доля верных ответов")
ax.set_title(f"{shots} картинок на класс: новые классы")
save_figure(fig, "resnet_transfer")

# %%
# Что дальше
# ----------
# Остаточные связи — не только про картинки: они есть и в каждом блоке трансформера.
# А в уроке 2.4 сеть будет читать данные по порядку — рекуррентная сеть.
