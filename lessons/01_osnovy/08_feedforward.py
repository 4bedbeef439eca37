"""
Полносвязная сеть с Dropout
===========================

В уроке 1.7 один линейный слой верно распознал почти все цифры. Добавим между входом
и выходом два скрытых слоя с нелинейностью ReLU — получится многослойный перцептрон
(MLP). Потом разберём Dropout: что он делает, почему перед проверкой обязательно
вызывать ``model.eval()`` и когда он на самом деле спасает от переобучения. Последнее
покажем опытом, а не на словах: на чистых данных этого урока Dropout почти ничего
не меняет, а на данных с ошибками в метках меняет многое.

Запуск: ``kurs run 1.8`` (или ``kurs run feedforward``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------

import copy

import matplotlib.pyplot as plt
import torch
from matplotlib.ticker import MaxNLocator
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
test_size = 0.25  # как в уроке 1.7: та же тестовая часть
val_size = 0.2  # доля оставшихся картинок, которую откладываем для валидации
batch_size = 64
hidden_sizes = (128, 64)
dropout_p = 0.2  # вероятность, с которой Dropout обнуляет каждый нейрон
num_epochs = 15 if opts.quick else 30
lr = 3e-3
# Линейную модель для сравнения обучаем ровно как в уроке 1.7.
baseline_epochs = 10 if opts.quick else 30
baseline_lr, baseline_momentum = 0.05, 0.9
# Опыт с переобучением (раздел «Когда Dropout помогает»).
noise_share = 0.3  # доля обучающих меток, заменённых случайными цифрами
noisy_dropout_p = 0.5
noisy_epochs = 20 if opts.quick else 40

# %%
# Три части данных
# ----------------
# Тестовая часть — та же, что в уроке 1.7 (то же ``random_state``). Из оставшихся
# картинок ещё пятую часть откладываем как **валидационную**. По ней следим за
# обучением после каждой эпохи и сравниваем настройки. Тестовую часть открываем
# один раз, в самом конце: если выбирать что-то по тесту, его оценка перестаёт быть
# честной. (Не путайте валидацию с ``model.eval()`` — это просто режим модели.)
# Стандартизация — статистиками одной обучающей части.

pixels, digit_labels = load_digits(return_X_y=True)  # NumPy: (1797, 64) и (1797,)
X = torch.tensor(pixels, dtype=torch.float32)
y = torch.tensor(digit_labels, dtype=torch.long)
num_classes = 10

rest_idx, test_idx = train_test_split(
    torch.arange(len(X)).numpy(), test_size=test_size, stratify=y.numpy(), random_state=0
)
train_idx, val_idx = train_test_split(
    rest_idx, test_size=val_size, stratify=y[rest_idx].numpy(), random_state=0
)
train_idx, val_idx, test_idx = map(torch.from_numpy, (train_idx, val_idx, test_idx))
mean = X[train_idx].mean(dim=0)
std = X[train_idx].std(dim=0).clamp_min(1.0)
X_train, y_train = (X[train_idx] - mean) / std, y[train_idx]
X_val, y_val = ((X[val_idx] - mean) / std).to(device), y[val_idx].to(device)
X_test, y_test = ((X[test_idx] - mean) / std).to(device), y[test_idx].to(device)

train_set = TensorDataset(X_train, y_train)
train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
print(f"Обучающая часть: {len(train_set)}, валидационная: {len(X_val)}, тестовая: {len(X_test)}")

# %%
# Как работает Dropout
# --------------------
# В режиме обучения ``nn.Dropout(p)`` обнуляет каждый элемент входа с вероятностью p,
# а уцелевшие умножает на 1/(1 − p), чтобы среднее осталось прежним. Сеть не может
# положиться на отдельный нейрон: в следующем батче его может не оказаться.
# В режиме ``eval()`` Dropout пропускает вход как есть.

dropout = nn.Dropout(p=0.5)
ones = torch.ones(10)
dropout.train()
dropout_demo_train = dropout(ones)
dropout.eval()
dropout_demo_eval = dropout(ones)
print(f"train(): {dropout_demo_train.tolist()}")
print(f"eval():  {dropout_demo_eval.tolist()}")

# %%
# Модель
# ------
# Линейный слой, ReLU, Dropout — и так дважды, а в конце линейный слой на 10 логитов.
# Без нелинейности между ними сколько угодно линейных слоёв схлопнулись бы в один,
# и сеть ничем не отличалась бы от логистической регрессии. Softmax в модель
# по-прежнему не ставим: он внутри ``nn.CrossEntropyLoss``. Модель собирает функция:
# ниже нам понадобятся её копии с другим p.


def make_mlp(p):
    return nn.Sequential(
        nn.Linear(X.shape[1], hidden_sizes[0]),
        nn.ReLU(),
        nn.Dropout(p),
        nn.Linear(hidden_sizes[0], hidden_sizes[1]),
        nn.ReLU(),
        nn.Dropout(p),
        nn.Linear(hidden_sizes[1], num_classes),
    ).to(device)


model = make_mlp(dropout_p)
criterion = nn.CrossEntropyLoss()
num_parameters = sum(parameter.numel() for parameter in model.parameters())
print(model)
print(f"Параметров: {num_parameters}")

# %%
# Обучение
# --------
# Моделей в уроке несколько, поэтому цикл обучения оформлен функцией; внутри всё те же
# шаги. После каждой эпохи записываем потери на обучающей части и долю верных ответов
# (accuracy) на валидационной.


def evaluate(model, X_eval, y_eval):
    """Доля верных ответов; Dropout выключен, граф не строится."""
    model.eval()
    with torch.no_grad():
        predictions = model(X_eval).argmax(dim=1)
    return (predictions == y_eval).float().mean().item()


def fit(model, optimizer, loader, epochs, name):
    """Обучает модель; возвращает средние потери на обучении и accuracy на валидации."""
    losses, val_accuracies = [], []
    progress = trange(epochs, desc=name)
    for epoch in progress:
        model.train()  # включает Dropout
        epoch_loss = 0.0
        for X_batch, y_batch in loader:
            X_batch, y_batch = X_batch.to(device), y_batch.to(device)
            loss = criterion(model(X_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            epoch_loss += loss.item() * len(X_batch)
        losses.append(epoch_loss / len(loader.dataset))
        val_accuracies.append(evaluate(model, X_val, y_val))  # evaluate сама включает eval()
        progress.set_postfix(loss=f"{losses[-1]:.4f}", val=f"{val_accuracies[-1]:.3f}")
    return losses, val_accuracies


optimizer = torch.optim.Adam(model.parameters(), lr=lr)
train_losses, val_accuracies = fit(model, optimizer, train_loader, num_epochs, "Сеть")
print(f"Потери на обучении: {train_losses[0]:.4f} → {train_losses[-1]:.4f}")
print(f"Доля верных ответов на валидации после обучения: {val_accuracies[-1]:.4f}")

# %%
# Зачем нужен ``model.eval()``
# ----------------------------
# Подадим обученной сети одни и те же картинки дважды. В режиме ``train()`` Dropout
# каждый раз выключает другие нейроны, и ответы расходятся; в режиме ``eval()`` они
# совпадают до бита. Забытый ``model.eval()`` — частая ошибка: оценку тогда даёт
# «прореженная» сеть, и она меняется от запуска к запуску.

sample = X_test[:5]
with torch.no_grad():
    model.train()
    train_out_a, train_out_b = model(sample), model(sample)
    model.eval()
    eval_out_a, eval_out_b = model(sample), model(sample)
train_outputs_differ = not torch.equal(train_out_a, train_out_b)
eval_outputs_equal = torch.equal(eval_out_a, eval_out_b)
print(
    f"train(): ответы различаются — {train_outputs_differ}, "
    f"наибольшая разница {(train_out_a - train_out_b).abs().max().item():.3f}"
)
print(f"eval():  ответы совпадают — {eval_outputs_equal}")

# %%
# Сравнение с линейной моделью
# ----------------------------
# ``nn.Linear(64, 10)`` обучаем так же, как в уроке 1.7: SGD с импульсом, те же
# скорость обучения и число эпох. Обучающая часть здесь чуть меньше — пятая её часть
# ушла на валидацию. У сети в десятки раз больше параметров, а главное, скрытые слои
# с ReLU строят из пикселей нелинейные признаки, которые линейной модели недоступны.

baseline_model = nn.Linear(X.shape[1], num_classes).to(device)
baseline_optimizer = torch.optim.SGD(
    baseline_model.parameters(), lr=baseline_lr, momentum=baseline_momentum
)
baseline_losses, baseline_val_accuracies = fit(
    baseline_model, baseline_optimizer, train_loader, baseline_epochs, "Линейная модель"
)

# %%
# Когда Dropout помогает
# ----------------------
# Часто пишут, что Dropout «борется с переобучением». Проверим. Сначала честный ответ
# для наших данных: обучим ту же сеть без Dropout (p = 0) и сравним на валидации.
# Картинок 8×8 мало и они чистые — разница окажется в пределах случайного шума.

no_dropout_model = make_mlp(0.0)
no_dropout_losses, no_dropout_val_accuracies = fit(
    no_dropout_model,
    torch.optim.Adam(no_dropout_model.parameters(), lr=lr),
    train_loader,
    num_epochs,
    "Сеть без Dropout",
)
clean_gap = val_accuracies[-1] - no_dropout_val_accuracies[-1]
print(
    f"Чистые метки: с Dropout {val_accuracies[-1]:.4f}, без — {no_dropout_val_accuracies[-1]:.4f}"
)

# %%
# Теперь испортим данные так, как их портит жизнь: у 30 % обучающих картинок заменим
# метку случайной цифрой (в настоящих наборах ошибки разметки встречаются постоянно).
# Валидационные метки не трогаем. Сеть без Dropout способна выучить наизусть и ошибки:
# потери на обучении у неё уходят гораздо ниже, чем с Dropout (в полном режиме — почти
# до нуля), а accuracy на валидации, дойдя до пика, начинает падать — это и есть
# переобучение. С Dropout (p = 0.5) запоминать отдельные примеры труднее, и падение
# гораздо меньше.

noise_generator = torch.Generator().manual_seed(1)
noisy_labels = y_train.clone()
corrupted = torch.rand(len(noisy_labels), generator=noise_generator) < noise_share
noisy_labels[corrupted] = torch.randint(
    0, num_classes, (int(corrupted.sum()),), generator=noise_generator
)
noisy_loader = DataLoader(TensorDataset(X_train, noisy_labels), batch_size=batch_size, shuffle=True)
print(f"Испорчено меток: {corrupted.float().mean().item():.1%}")

noisy_runs = {}
for p in (0.0, noisy_dropout_p):
    torch.manual_seed(2)  # одинаковые начальные веса и порядок батчей для обоих p
    noisy_model = make_mlp(p)
    noisy_runs[p] = fit(
        noisy_model,
        torch.optim.Adam(noisy_model.parameters(), lr=lr),
        noisy_loader,
        noisy_epochs,
        f"Метки с ошибками, p={p}",
    )
for p, (losses, accuracies) in noisy_runs.items():
    print(
        f"p = {p}: потери на обучении {losses[-1]:.3f}, accuracy на валидации: "
        f"лучшая {max(accuracies):.3f}, в конце {accuracies[-1]:.3f}"
    )
noisy_drop_without = max(noisy_runs[0.0][1]) - noisy_runs[0.0][1][-1]
noisy_drop_with = max(noisy_runs[noisy_dropout_p][1]) - noisy_runs[noisy_dropout_p][1][-1]
noisy_final_gain = noisy_runs[noisy_dropout_p][1][-1] - noisy_runs[0.0][1][-1]

# %%
# Ранняя остановка
# ----------------
# Второе средство от переобучения — вовремя остановиться. После каждой эпохи смотрим на
# валидационную часть и запоминаем веса лучшей эпохи; когда несколько эпох подряд лучше
# не становится, обучение прекращают и возвращают запомненные веса. Запоминать надо
# копию: ``state_dict()`` отдаёт ссылки на живые тензоры, которые следующий шаг
# оптимизатора изменит, поэтому нужен ``copy.deepcopy``.

snapshot_model = make_mlp(0.0)
live_state = snapshot_model.state_dict()
saved_copy = copy.deepcopy(live_state)
with torch.no_grad():
    snapshot_model[0].weight.add_(1.0)  # «шаг оптимизатора»
live_state_changed = not torch.equal(live_state["0.weight"], saved_copy["0.weight"])
print(f"state_dict() без копии изменился вместе с моделью: {live_state_changed}")

noisy_best_epoch = max(range(noisy_epochs), key=lambda epoch: noisy_runs[0.0][1][epoch]) + 1
print(
    f"Без Dropout на испорченных метках ранняя остановка сохранила бы веса эпохи "
    f"{noisy_best_epoch} с accuracy {max(noisy_runs[0.0][1]):.3f} вместо "
    f"{noisy_runs[0.0][1][-1]:.3f} в конце"
)

# %%
# Итог на тестовой части
# ----------------------
# Все решения приняты, открываем тест — один раз.

test_accuracy = evaluate(model, X_test, y_test)
baseline_accuracy = evaluate(baseline_model, X_test, y_test)
mlp_errors = round((1 - test_accuracy) * len(X_test))
baseline_errors = round((1 - baseline_accuracy) * len(X_test))
print(f"Линейная модель: accuracy {baseline_accuracy:.4f}, ошибок {baseline_errors}")
print(f"Сеть с Dropout:  accuracy {test_accuracy:.4f}, ошибок {mlp_errors}")

# %%
# Рисунки
# -------
# Сверху — обучение на чистых метках: потери и accuracy на валидации. Снизу — опыт
# с испорченными метками: без Dropout потери на обучении уходят гораздо ниже (сеть
# запоминает ошибки), а accuracy на валидации после пика падает.

fig, axes = plt.subplots(2, 2, figsize=(11, 8), layout="constrained")
curves = {
    "сеть с Dropout": (train_losses, val_accuracies),
    "сеть без Dropout": (no_dropout_losses, no_dropout_val_accuracies),
    "линейная модель": (baseline_losses, baseline_val_accuracies),
}
for label, (losses, accuracies) in curves.items():
    axes[0, 0].plot(range(1, len(losses) + 1), losses, label=label)
    axes[0, 1].plot(range(1, len(accuracies) + 1), accuracies, label=label)
for p, (losses, accuracies) in noisy_runs.items():
    label = f"p = {p}"
    axes[1, 0].plot(range(1, len(losses) + 1), losses, label=label)
    axes[1, 1].plot(range(1, len(accuracies) + 1), accuracies, label=label)
titles = (
    ("Чистые метки: потери на обучении", "Чистые метки: accuracy на валидации"),
    ("30 % меток с ошибками: потери на обучении", "30 % меток с ошибками: accuracy на валидации"),
)
for row in range(2):
    for column in range(2):
        ax = axes[row, column]
        ax.set_title(titles[row][column])
        ax.set_xlabel("эпоха")
        ax.set_ylabel("кросс-энтропия" if column == 0 else "доля верных ответов")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend()
save_figure(fig, "feedforward_training")

# %%
# Картинки тестовой части, на которых сеть ошиблась. Многие и человек прочтёт не сразу.

model.eval()
with torch.no_grad():
    predictions = model(X_test).argmax(dim=1).cpu()
wrong = (predictions != y_test.cpu()).nonzero().flatten()[:10]
fig, axes = plt.subplots(1, 10, figsize=(12, 2))
for ax in axes:
    ax.axis("off")
for column, position in enumerate(wrong.tolist()):
    axes[column].imshow(pixels[int(test_idx[position])].reshape(8, 8), cmap="gray_r")
    axes[column].set_title(f"{y_test[position].item()}, сеть: {predictions[position].item()}")
fig.suptitle("Ошибки сети: верная цифра и ответ сети")
save_figure(fig, "feedforward_mistakes")

# %%
# Что дальше
# ----------
# Это первая глубокая сеть курса. Цикл обучения ничем не отличается от логистической
# регрессии: у более сложных моделей меняется ``model``, а не шаги обучения. Только
# не забывайте ``model.train()`` и ``model.eval()``. В уроке 1.9 научимся сохранять
# обученную сеть и продолжать прерванное обучение.
