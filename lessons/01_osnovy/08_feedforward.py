"""
Полносвязная сеть с Dropout
===========================

В уроке 1.7 один линейный слой верно распознал почти все цифры. Добавим между входом
и выходом два скрытых слоя с нелинейностью ReLU — получится многослойный перцептрон
(MLP). Чтобы сеть не заучивала обучающие картинки наизусть, вставим слои Dropout и
посмотрим, почему перед проверкой обязательно вызывать ``model.eval()``.

Запуск: ``kurs run 1.8`` (или ``kurs run feedforward``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------

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
test_size = 0.25
batch_size = 64
hidden_sizes = (128, 64)
dropout_p = 0.2  # доля нейронов, которые Dropout обнуляет на каждом шаге
num_epochs = 15 if opts.quick else 30
lr = 3e-3
baseline_lr = 1e-2  # линейной модели для сравнения подходит шаг крупнее

# %%
# Данные
# ------
# Всё как в уроке 1.7: то же разбиение (то же ``random_state``), стандартизация
# статистиками обучающей части. Так сравнение с линейной моделью будет честным.

pixels, digit_labels = load_digits(return_X_y=True)  # NumPy: (1797, 64) и (1797,)
X = torch.tensor(pixels, dtype=torch.float32)
y = torch.tensor(digit_labels, dtype=torch.long)
num_classes = 10

train_idx, test_idx = train_test_split(
    torch.arange(len(X)).numpy(), test_size=test_size, stratify=y.numpy(), random_state=0
)
train_idx, test_idx = torch.from_numpy(train_idx), torch.from_numpy(test_idx)
mean = X[train_idx].mean(dim=0)
std = X[train_idx].std(dim=0).clamp_min(1.0)
X_train, y_train = (X[train_idx] - mean) / std, y[train_idx]
X_test, y_test = ((X[test_idx] - mean) / std).to(device), y[test_idx].to(device)

train_set = TensorDataset(X_train, y_train)
train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
print(f"Обучение: {len(train_set)} картинок, тест: {len(X_test)}")

# %%
# Как работает Dropout
# --------------------
# В режиме обучения ``nn.Dropout(p)`` обнуляет каждый элемент входа с вероятностью
# ``p``, а уцелевшие умножает на :math:`1/(1-p)`, чтобы среднее осталось прежним.
# Сети приходится не полагаться на отдельные нейроны — это борется с переобучением.
# В режиме проверки Dropout не делает ничего и пропускает вход как есть.

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
# по-прежнему не ставим: он внутри ``nn.CrossEntropyLoss``.

model = nn.Sequential(
    nn.Linear(X.shape[1], hidden_sizes[0]),
    nn.ReLU(),
    nn.Dropout(dropout_p),
    nn.Linear(hidden_sizes[0], hidden_sizes[1]),
    nn.ReLU(),
    nn.Dropout(dropout_p),
    nn.Linear(hidden_sizes[1], num_classes),
).to(device)
criterion = nn.CrossEntropyLoss()
num_parameters = sum(parameter.numel() for parameter in model.parameters())
print(model)
print(f"Параметров: {num_parameters}")

# %%
# Обучение и проверка
# -------------------
# Обучать будем две модели — сеть и, для сравнения, линейную модель из урока 1.7, —
# поэтому цикл обучения оформлен функцией. Внутри всё те же шаги. После каждой эпохи
# смотрим на точность на тесте, чтобы нарисовать кривую обучения. Мы по ней ничего
# не выбираем (число эпох задано заранее): если подбирать настройки по тесту, его
# оценка перестаёт быть честной, и для подбора откладывают отдельную часть данных.


def evaluate(model):
    """Доля верных ответов на тесте; Dropout выключен, граф не строится."""
    model.eval()
    with torch.no_grad():
        predictions = model(X_test).argmax(dim=1)
    return (predictions == y_test).float().mean().item()


def fit(model, name, lr):
    """Обучает модель оптимизатором Adam; возвращает потери и точность по эпохам."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses, accuracies = [], []
    progress = trange(num_epochs, desc=name)
    for epoch in progress:
        model.train()  # включает Dropout
        epoch_loss = 0.0
        for X_batch, y_batch in train_loader:
            X_batch, y_batch = X_batch.to(device), y_batch.to(device)
            loss = criterion(model(X_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            epoch_loss += loss.item() * len(X_batch)
        losses.append(epoch_loss / len(train_set))
        accuracies.append(evaluate(model))  # evaluate сама переводит модель в eval()
        progress.set_postfix(loss=f"{losses[-1]:.4f}", accuracy=f"{accuracies[-1]:.3f}")
    return losses, accuracies


train_losses, test_accuracies = fit(model, "Сеть", lr)
test_accuracy = evaluate(model)
print(f"Потери на обучении: {train_losses[0]:.4f} → {train_losses[-1]:.4f}")
print(f"Точность сети на тесте: {test_accuracy:.4f}")

# %%
# Зачем нужен ``model.eval()``
# ----------------------------
# Подадим обученной сети одни и те же картинки дважды. В режиме ``train()`` Dropout
# каждый раз выключает другие нейроны, и ответы расходятся; в режиме ``eval()`` они
# совпадают до бита. Забытый ``model.eval()`` — частая ошибка: точность тогда
# считается по «прореженной» сети и меняется от запуска к запуску.

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
# Обучим ``nn.Linear(64, 10)`` на тех же данных, тем же циклом и столько же эпох
# (только шаг ``baseline_lr`` для неё свой, побольше).
# У сети в десятки раз больше параметров, а главное, скрытые слои с ReLU строят
# из пикселей нелинейные признаки, которые линейной модели недоступны.

baseline_model = nn.Linear(X.shape[1], num_classes).to(device)
baseline_losses, baseline_accuracies = fit(baseline_model, "Линейная модель", baseline_lr)
baseline_accuracy = evaluate(baseline_model)
mlp_errors = round((1 - test_accuracy) * len(X_test))
baseline_errors = round((1 - baseline_accuracy) * len(X_test))
print(f"Линейная модель: точность {baseline_accuracy:.4f}, ошибок {baseline_errors}")
print(f"Сеть с Dropout:  точность {test_accuracy:.4f}, ошибок {mlp_errors}")

# %%
# Рисунки
# -------
# Слева — потери на обучении, справа — точность на тесте после каждой эпохи.

epochs = range(1, num_epochs + 1)
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4))
ax_loss.plot(epochs, train_losses, marker="o", label="сеть с Dropout")
ax_loss.plot(epochs, baseline_losses, marker="s", label="линейная модель")
ax_loss.set_xlabel("эпоха")
ax_loss.set_ylabel("перекрёстная энтропия")
ax_loss.set_yscale("log")
ax_loss.set_title("Потери на обучении")
ax_loss.legend()
ax_acc.plot(epochs, test_accuracies, marker="o", label="сеть с Dropout")
ax_acc.plot(epochs, baseline_accuracies, marker="s", label="линейная модель")
ax_acc.axhline(0.96, color="gray", linestyle="--", label="цель урока: 0.96")
ax_acc.set_xlabel("эпоха")
ax_acc.set_ylabel("доля верных ответов")
ax_acc.set_ylim(min(test_accuracies + baseline_accuracies) - 0.01, 1.0)
ax_acc.set_title("Точность на тесте")
ax_acc.legend()
save_figure(fig, "feedforward_training")

# %%
# Картинки, на которых сеть ошиблась. Многие из них и человек прочтёт не сразу.

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
# Это первая глубокая сеть курса. Заметьте, что цикл обучения ничем не отличается
# от логистической регрессии: у более сложных моделей меняется ``model``, а не шаги
# обучения. Только не забывайте ``model.train()`` и ``model.eval()``.
