"""
Сохранение и загрузка
=====================

Последний урок раздела. Мы умеем обучать модели (уроки 1.6–1.8); теперь научимся
записывать их в файл: чтобы не обучать заново, продолжить обучение после сбоя, поделиться
весами. Разберём, что сохраняется (``state_dict``), докажем, что продолжение с полного
чекпойнта даёт *в точности* те же веса, что и обучение без перерыва, выясним, зачем
``weights_only=True`` и как загрузить разрешённые вами классы, почему не стоит сохранять
модель целиком, попробуем safetensors и дообучим сохранённую модель на новой задаче.

Запуск: ``kurs run 1.9`` (или ``kurs run save-load``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------
# Все файлы урок пишет в папку результатов запуска (``output_path``), а не рядом с кодом.

import copy
import pickle
import re
from dataclasses import dataclass

import torch
from safetensors.torch import load_file, save_file
from sklearn.datasets import load_digits
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split
from tqdm import trange

from kurs.helpers import choose_device, options, output_path

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Гиперпараметры
num_samples = 300
num_epochs = 10 if opts.quick else 20  # чётное: обучение прервём ровно посередине
batch_size = 32
lr = 0.01
finetune_epochs = 10 if opts.quick else 20

# %%
# Что такое state_dict
# --------------------
# ``model.state_dict()`` — словарь «имя → тензор». ``0.weight`` — вес слоя номер 0 в
# ``nn.Sequential``; у ``ReLU`` (номер 1) параметров нет. Кроме параметров, сюда попадают
# буферы — необучаемые числа вроде средних BatchNorm. У Dropout (номер 2) весов тоже нет.
# Кода модели в словаре нет: чтобы загрузить веса, сначала строят такую же модель.


def make_classifier():
    return nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 3)).to(device)


model = make_classifier()
for name, tensor in model.state_dict().items():
    print(f"{name:9s} форма {tuple(tensor.shape)}")

# Сохраняем только веса и загружаем их в новую, независимо созданную модель.
weights_path = output_path("classifier_weights.pt")
torch.save(model.state_dict(), weights_path)
restored = make_classifier()
restored.load_state_dict(torch.load(weights_path, map_location=device, weights_only=True))

# Новая модель создаётся в режиме обучения, и загрузка весов режим не меняет. Пока
# Dropout включён, даже одна и та же модель отвечает по-разному; перед предсказаниями
# после загрузки вызывают ``eval()``.
probe = torch.randn(5, 2, device=device)
restored_was_training = restored.training
with torch.no_grad():
    outputs_in_train_mode_differ = not torch.equal(restored(probe), restored(probe))
    model.eval()
    restored.eval()
    same_outputs = torch.equal(model(probe), restored(probe))
print(f"Сразу после загрузки режим обучения: {restored_was_training}")
print(f"Веса записаны в {weights_path}; после eval() выходы копии совпадают: {same_outputs}")

# %%
# Эталон: обучение без перерыва
# -----------------------------
# Три облака точек на плоскости — три класса. Обучаем батчами с перемешиванием, как
# в уроке 1.5. Случайного в обучении два источника: порядок примеров и маски Dropout.
# Загрузчику даём собственный генератор, маски берутся из общего генератора torch.

centers = torch.tensor([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
y = torch.randint(0, 3, (num_samples,))
X = centers[y] + torch.randn(num_samples, 2)
criterion = nn.CrossEntropyLoss()


def make_loader(generator):
    return DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True, generator=generator)


def train_one_epoch(model, optimizer, loader):
    model.train()
    total_loss = 0.0
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        loss = criterion(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(yb)
    return total_loss / len(loader.dataset)


# Эталон — ``num_epochs`` эпох без перерыва. Копию весов снимаем через ``deepcopy``:
# ``state_dict()`` отдаёт ссылки на живые тензоры модели, а не их снимок.

torch.manual_seed(1)
model = make_classifier()
optimizer = torch.optim.Adam(model.parameters(), lr=lr)
loader = make_loader(torch.Generator().manual_seed(2))
uninterrupted_losses = []
for epoch in trange(num_epochs, desc="Без перерыва"):
    uninterrupted_losses.append(train_one_epoch(model, optimizer, loader))
uninterrupted_state = copy.deepcopy(model.state_dict())

# %%
# Полный чекпойнт
# ---------------
# Теперь то же обучение «падает» на середине. Чтобы продолжить его как ни в чём не бывало,
# одних весов мало. Adam хранит для каждого параметра скользящие средние градиентов.
# Генератор загрузчика помнит, сколько перестановок уже выдал: без его состояния эпохи
# пойдут в другом порядке. Общий генератор (``torch.get_rng_state``) выбирает маски
# Dropout на CPU. На видеокарте у Dropout свой генератор — генератор CUDA, его состояние
# сохраняют отдельно (``torch.cuda.get_rng_state_all``), иначе точного продолжения на GPU
# не будет. Ещё сохраняем номер эпохи и историю потерь.

torch.manual_seed(1)
model = make_classifier()
optimizer = torch.optim.Adam(model.parameters(), lr=lr)
generator = torch.Generator().manual_seed(2)
loader = make_loader(generator)
first_half_losses = []
for epoch in trange(num_epochs // 2, desc="До сбоя"):
    first_half_losses.append(train_one_epoch(model, optimizer, loader))

checkpoint_path = output_path("checkpoint.pt")
torch.save(
    {
        "epoch": num_epochs // 2,
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "losses": first_half_losses,
        "loader_rng": generator.get_state(),
        "torch_rng": torch.get_rng_state(),
        "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    },
    checkpoint_path,
)
del model, optimizer, generator, loader  # процесс «упал»: в памяти ничего не осталось
print(f"Чекпойнт после эпохи {num_epochs // 2}: {checkpoint_path}")

# %%
# Продолжение обучения
# --------------------
# Строим всё заново и восстанавливаем из чекпойнта. Читаем его на CPU: состояние
# генератора должно лежать там, а веса ``load_state_dict`` сам скопирует на устройство
# модели. Флаги функции понадобятся ниже — проверить, что будет, если что-то забыть.


def resume_training(path, restore_optimizer=True, restore_rng=True):
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    model = make_classifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    model.load_state_dict(checkpoint["model"])
    if restore_optimizer:
        optimizer.load_state_dict(checkpoint["optimizer"])
    generator = torch.Generator()
    if restore_rng:
        generator.set_state(checkpoint["loader_rng"])
        torch.set_rng_state(checkpoint["torch_rng"])
        if checkpoint["cuda_rng"]:
            torch.cuda.set_rng_state_all(checkpoint["cuda_rng"])
    loader = make_loader(generator)
    losses = list(checkpoint["losses"])
    for epoch in range(checkpoint["epoch"], num_epochs):
        losses.append(train_one_epoch(model, optimizer, loader))
    return model, losses


resumed_model, resumed_losses = resume_training(checkpoint_path)
resumed_state = resumed_model.state_dict()
weights_match = all(torch.equal(resumed_state[k], uninterrupted_state[k]) for k in resumed_state)
print(f"Веса после продолжения в точности равны непрерывному обучению: {weights_match}")

# Что будет, если сохранить не всё? Продолжим ещё дважды: без состояния Adam и без
# состояний генераторов (загрузчика и Dropout).
no_adam_model, no_adam_losses = resume_training(checkpoint_path, restore_optimizer=False)
no_rng_model, no_rng_losses = resume_training(checkpoint_path, restore_rng=False)

for run_model, label in [(no_adam_model, "Без состояния Adam"), (no_rng_model, "Без генератора")]:
    state = run_model.state_dict()
    gap = max((state[k] - uninterrupted_state[k]).abs().max().item() for k in state)
    print(f"{label}: веса отличаются от эталона на {gap:.2e}")

# %%
# Почему ``weights_only=True``
# ----------------------------
# ``torch.save`` пишет файл модулем ``pickle``, а ``pickle`` при чтении может *вызвать любую
# функцию*, записанную в файле: объект сам говорит, как его восстановить (``__reduce__``).
# Чужой файл «весов» может так запустить что угодно. Безобидный пример — вызов ``print``.
# С ``weights_only=True`` разрешены только тензоры, числа, строки и простые контейнеры.
# С PyTorch 2.6 это значение по умолчанию; пишем его явно, чтобы не зависеть от версии.


class Surprise:
    def __reduce__(self):
        return (print, ("!!! Этот код выполнился при загрузке файла !!!",))


untrusted_path = output_path("untrusted.pt")
torch.save({"weight": torch.ones(3), "extra": Surprise()}, untrusted_path)
try:
    torch.load(untrusted_path, weights_only=True)
    weights_only_refused = False
except pickle.UnpicklingError as error:
    weights_only_refused = True
    blocked = re.search(r"GLOBAL (\S+)", str(error))  # PyTorch называет запрещённое имя
    culprit = blocked.group(1) if blocked else "неразрешённой функции"
    print(f"weights_only=True отказался читать файл: в нём вызов {culprit}")

# Так делать можно только с файлами, которым вы доверяете: print выполнится при чтении.
unsafe_result = torch.load(untrusted_path, weights_only=False)
print(f"weights_only=False вызвал print и вместо объекта вернул {unsafe_result['extra']!r}")

# %%
# Свои классы в чекпойнте: ``safe_globals``
# -----------------------------------------
# Иногда в чекпойнт хочется положить не только тензоры, а, например, объект с настройками
# обучения. ``weights_only=True`` откажется и его читать: класс не из списка разрешённых.
# Если класс ваш и вы ему доверяете, разрешите именно его —
# ``torch.serialization.add_safe_globals([Класс])`` (для всей программы) или, как здесь,
# ``with torch.serialization.safe_globals([Класс]):`` только на время чтения. Остальное
# по-прежнему запрещено.


@dataclass
class TrainConfig:
    lr: float
    batch_size: int


config_path = output_path("checkpoint_with_config.pt")
torch.save(
    {"model": resumed_model.state_dict(), "config": TrainConfig(lr, batch_size)}, config_path
)
try:
    torch.load(config_path, weights_only=True)
    config_refused = False
except pickle.UnpicklingError:
    config_refused = True
with torch.serialization.safe_globals([TrainConfig]):
    loaded_config = torch.load(config_path, weights_only=True)["config"]
print(f"Без разрешения отказ: {config_refused}; с safe_globals: {loaded_config}")

# %%
# Модель целиком
# --------------
# ``torch.save(model, путь)`` записывает не словарь тензоров, а сам объект модели. Pickle
# хранит при этом не код класса, а лишь его адрес (``torch.nn.modules.linear.Linear``,
# для своих классов — ваш модуль и имя): при чтении класс ищется и вызывается. Поэтому
# ``weights_only=True`` такой файл не прочтёт, а с ``weights_only=False`` чтение сломается,
# стоит переименовать или перенести класс, и исполнит всё, что записано в файле.
# Надёжнее сохранять ``state_dict``, а модель строить кодом.

whole_model_path = output_path("whole_model.pt")
torch.save(resumed_model, whole_model_path)
try:
    torch.load(whole_model_path, weights_only=True)
    whole_model_refused = False
except pickle.UnpicklingError:
    whole_model_refused = True
whole_model = torch.load(whole_model_path, map_location=device, weights_only=False)  # свой файл
print(f"Модель целиком: weights_only=True отказал — {whole_model_refused}; {type(whole_model)}")

# %%
# safetensors
# -----------
# safetensors хранит только тензоры: заголовок с именами, формами, типами и сырые байты.
# Исполнять при чтении нечего. Так раздают веса на Hugging Face; вложенный чекпойнт с
# оптимизатором в него напрямую не положить — это формат именно для весов.

safetensors_path = output_path("classifier.safetensors")
save_file(resumed_state, safetensors_path)
loaded_safetensors = load_file(safetensors_path)
safetensors_match = all(
    torch.equal(loaded_safetensors[k], resumed_state[k].cpu()) for k in resumed_state
)
print(f"safetensors: ключи {list(loaded_safetensors)}, тензоры совпадают: {safetensors_match}")

# %%
# Дообучение (fine-tuning)
# ------------------------
# Обучим сеть различать цифры 0–4 и сохраним её. Новая сеть загрузит эти веса, заморозит
# слой признаков (``requires_grad_(False)``: градиенты для него не считаются) и получит
# новую голову — последний слой — для цифр 5–9; оптимизатор получает только её. Так
# дообучают большие предобученные сети. Будь в признаках BatchNorm или Dropout, их стоило
# бы ещё перевести в ``eval()``: BatchNorm обновляет средние и с замороженными весами.

pixels, digit_labels = load_digits(return_X_y=True)
images = torch.tensor(pixels, dtype=torch.float32) / 16.0  # 1797 картинок по 64 пикселя
labels = torch.tensor(digit_labels)


class DigitNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(64, 128), nn.ReLU())
        self.head = nn.Linear(128, num_classes)

    def forward(self, x):
        return self.head(self.features(x))


def task_loaders(mask, label_shift):
    dataset = TensorDataset(images[mask], labels[mask] - label_shift)
    train_part, val_part = random_split(dataset, [0.7, 0.3], torch.Generator().manual_seed(0))
    shuffle = torch.Generator().manual_seed(0)
    train_loader = DataLoader(train_part, batch_size=batch_size, shuffle=True, generator=shuffle)
    return train_loader, DataLoader(val_part, batch_size=256)


def accuracy(model, loader):
    model.eval()
    with torch.no_grad():
        correct = sum(
            (model(xb.to(device)).argmax(1) == yb.to(device)).sum().item() for xb, yb in loader
        )
    return correct / len(loader.dataset)


old_train, old_val = task_loaders(labels < 5, 0)
new_train, new_val = task_loaders(labels >= 5, 5)

pretrained = DigitNet(num_classes=5).to(device)
optimizer = torch.optim.Adam(pretrained.parameters(), lr=lr)
for epoch in trange(finetune_epochs, desc="Цифры 0–4"):
    train_one_epoch(pretrained, optimizer, old_train)
pretrained_accuracy = accuracy(pretrained, old_val)
pretrained_path = output_path("digits_0_4.pt")
torch.save(pretrained.state_dict(), pretrained_path)
print(f"Доля верных ответов на цифрах 0–4: {pretrained_accuracy:.3f}; веса: {pretrained_path}")

# Новая модель получает сохранённые веса, затем замораживает признаки и меняет голову.
finetuned = DigitNet(num_classes=5).to(device)
finetuned.load_state_dict(torch.load(pretrained_path, map_location=device, weights_only=True))
finetuned.features.requires_grad_(False)
finetuned.head = nn.Linear(128, 5).to(device)  # выходы 0–4 теперь означают цифры 5–9
head_before = copy.deepcopy(finetuned.head.state_dict())
head_optimizer = torch.optim.Adam(finetuned.head.parameters(), lr=lr)
trainable = [name for name, p in finetuned.named_parameters() if p.requires_grad]
num_trainable = sum(p.numel() for p in finetuned.parameters() if p.requires_grad)
num_total = sum(p.numel() for p in finetuned.parameters())
print(f"Обучаются только {trainable}: {num_trainable} чисел из {num_total}")

for epoch in trange(finetune_epochs, desc="Голова для 5–9"):
    train_one_epoch(finetuned, head_optimizer, new_train)
finetuned_accuracy = accuracy(finetuned, new_val)
print(f"Доля верных ответов на цифрах 5–9: {finetuned_accuracy:.3f} (угадывание дало бы 0.2)")

# %%
# Что дальше
# ----------
# Сохраняйте полный чекпойнт раз в эпоху — и сбой обойдётся не дороже одной эпохи.
# Раздел «Основы» пройден. В разделе 2 — настоящие картинки через torchvision,
# свёрточные, остаточные и рекуррентные сети.
