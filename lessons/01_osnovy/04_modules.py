"""
Модули, слои, функции потерь, оптимизаторы
==========================================

В уроке 1.3 мы получали градиенты сами. Теперь соберём из готовых деталей PyTorch всё,
что нужно для обучения: модель как подкласс ``nn.Module``, стандартные слои, функции
потерь и оптимизаторы. Ни одной детали не примем на веру: каждую функцию потерь
посчитаем по формуле вручную, а шаг оптимизатора повторим арифметикой.

Запуск: ``kurs run 1.4`` (или ``kurs run modules``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------
# Размеры маленькой сети, вероятность Dropout и параметры последнего раздела, где SGD и
# Adam ищут минимум простой функции.

import matplotlib.pyplot as plt
import torch
from torch import nn
from tqdm import trange

from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Гиперпараметры
in_features, hidden_size, num_classes = 4, 16, 3
p_drop = 0.5
lr = 0.1
num_steps = 150 if opts.quick else 200

# %%
# Своя модель: подкласс nn.Module
# -------------------------------
# Модель в PyTorch — класс, унаследованный от ``nn.Module``. В ``__init__`` (сначала
# обязательно ``super().__init__()``) создаём слои и присваиваем их атрибутам: так модуль
# узнаёт о своих параметрах. В ``forward`` пишем, как вход превращается в выход.
# Вызывать нужно ``model(x)``, а не ``model.forward(x)``: вызов через ``()`` запускает
# ещё и служебные хуки.


class TinyNet(nn.Module):
    def __init__(self, in_features, hidden_size, num_classes, p_drop):
        super().__init__()
        self.hidden = nn.Linear(in_features, hidden_size)
        self.dropout = nn.Dropout(p_drop)
        self.out = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        x = torch.relu(self.hidden(x))
        return self.out(self.dropout(x))


model = TinyNet(in_features, hidden_size, num_classes, p_drop).to(device)
print(model)
for name, param in model.named_parameters():
    print(f"  {name:12s} {tuple(param.shape)}")
num_params = sum(param.numel() for param in model.parameters())
print(f"Всего параметров: {num_params}")

# %%
# ``state_dict`` — словарь «имя → тензор» со всем состоянием модели. Именно его сохраняют
# на диск (урок 1.9). У Dropout нет весов, поэтому в словаре его нет.

state_keys = list(model.state_dict().keys())
print(f"Ключи state_dict: {state_keys}")

# %%
# Режимы train и eval. Что делает Dropout
# ---------------------------------------
# Некоторые слои ведут себя по-разному при обучении и при проверке. ``model.train()`` и
# ``model.eval()`` переключают флаг ``training`` у модели и у всех её подмодулей.
#
# Dropout при обучении обнуляет каждый элемент с вероятностью :math:`p`, а уцелевшие
# умножает на :math:`1/(1-p)`, чтобы среднее значение не изменилось. При проверке он
# ничего не делает. Посмотрим на это на тензоре из единиц.

dropout = nn.Dropout(p=p_drop)
ones = torch.ones(10_000, device=device)
dropout.train()
dropped_train = dropout(ones)
dropout.eval()
dropped_eval = dropout(ones)
zero_fraction = (dropped_train == 0).float().mean().item()
survivor_values = dropped_train[dropped_train != 0].unique().tolist()
print(
    f"train: обнулено {zero_fraction:.3f} элементов (p = {p_drop}), уцелевшие = {survivor_values}"
)
print(f"eval: выход совпал со входом: {torch.equal(dropped_eval, ones)}")

# %%
# В режиме обучения два прохода одной и той же сети по одному входу дают разные ответы
# (каждый раз обнуляются другие нейроны), в режиме проверки — одинаковые.

sample = torch.randn(5, in_features, device=device)
model.train()
train_outputs_differ = not torch.equal(model(sample), model(sample))
model.eval()
eval_outputs_equal = torch.equal(model(sample), model(sample))
print(f"train: ответы различаются — {train_outputs_differ}; eval: совпадают — {eval_outputs_equal}")

# %%
# Слои, которые встречаются чаще всего
# ------------------------------------
# ``nn.Conv2d`` принимает батч картинок формы (N, C, H, W). При ядре :math:`k`, шаге
# :math:`s` и дополнении :math:`p` высота выхода равна :math:`\lfloor (H + 2p - k)/s \rfloor + 1`.

images = torch.randn(2, 3, 28, 28, device=device)
conv = nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1).to(device)
conv_shape = tuple(conv(images).shape)
print(f"Conv2d: {tuple(images.shape)} -> {conv_shape}")

# %%
# Функции активации вносят нелинейность: без них стопка ``Linear`` была бы одним
# ``Linear``. ReLU зануляет отрицательное, Sigmoid сжимает всё в (0, 1), Tanh — в (-1, 1).

z = torch.linspace(-3, 3, 7, device=device)
activations = {"ReLU": nn.ReLU()(z), "Sigmoid": nn.Sigmoid()(z), "Tanh": nn.Tanh()(z)}
for name, values in activations.items():
    print(f"{name:8s} {[round(v, 3) for v in values.tolist()]}")

# %%
# ``nn.Embedding`` — таблица векторов: по номеру (например, слова) выдаёт строку таблицы.
# ``nn.BatchNorm1d`` приводит каждый признак в батче к нулевому среднему и единичному
# разбросу и копит скользящие средние для режима eval; они лежат в ``state_dict`` как
# буферы, но не являются параметрами — оптимизатор их не трогает.

embedding = nn.Embedding(10, 4).to(device)
tokens = torch.tensor([[1, 5, 5, 9]], device=device)
token_vectors = embedding(tokens)
print(f"Embedding: {tuple(tokens.shape)} -> {tuple(token_vectors.shape)}")

features = torch.randn(64, 3, device=device) * 5 + 10
batch_norm = nn.BatchNorm1d(3).to(device)
normalized = batch_norm(features)  # модуль только что создан, он в режиме train
print(f"BatchNorm1d: средние {[round(m, 4) for m in normalized.mean(dim=0).tolist()]}")
print(f"  параметры: {[n for n, _ in batch_norm.named_parameters()]}")
print(f"  state_dict: {list(batch_norm.state_dict().keys())}")

# %%
# Если сеть — просто цепочка слоёв, класс писать необязательно: ``nn.Sequential``
# вызывает слои по очереди. Этот контейнер устроен так же, как ``TinyNet``.

sequential = nn.Sequential(
    nn.Linear(in_features, hidden_size),
    nn.ReLU(),
    nn.Dropout(p_drop),
    nn.Linear(hidden_size, num_classes),
).to(device)
sequential_params = sum(param.numel() for param in sequential.parameters())
print(f"Параметров в Sequential: {sequential_params} (в TinyNet: {num_params})")

# %%
# Функции потерь — по формулам
# ----------------------------
# Для регрессии: MSE — средний квадрат ошибки, L1 — средний модуль ошибки. Для
# классификации на :math:`C` классов: CrossEntropyLoss принимает *логиты* (сырые выходы
# сети) и номера классов и считает :math:`-\frac1N\sum_i \log \operatorname{softmax}(z_i)_{y_i}`.
# NLLLoss ждёт уже готовые логарифмы вероятностей и просто берёт со знаком минус нужный
# элемент. Для двух классов BCEWithLogitsLoss: :math:`-\frac1N\sum_i [y_i\log\sigma(z_i) +
# (1-y_i)\log(1-\sigma(z_i))]`. Каждую функцию считаем двумя способами.

num_examples = 8
predictions = torch.randn(num_examples, device=device)
targets = torch.randn(num_examples, device=device)
logits = torch.randn(num_examples, num_classes, device=device)
classes = torch.randint(0, num_classes, (num_examples,), device=device)
binary_logits = torch.randn(num_examples, device=device)
binary_targets = torch.randint(0, 2, (num_examples,), device=device).float()

rows = torch.arange(num_examples, device=device)
# log softmax вручную: z - log Σ exp(z). PyTorch ещё вычитает максимум, чтобы exp не переполнился.
hand_log_probs = logits - logits.exp().sum(dim=1, keepdim=True).log()
log_probs = nn.LogSoftmax(dim=1)(logits)
sigma = 1 / (1 + torch.exp(-binary_logits))
hand_bce = -(binary_targets * sigma.log() + (1 - binary_targets) * (1 - sigma).log()).mean()

loss_checks = {
    "MSELoss": (nn.MSELoss()(predictions, targets), ((predictions - targets) ** 2).mean()),
    "L1Loss": (nn.L1Loss()(predictions, targets), (predictions - targets).abs().mean()),
    "CrossEntropyLoss": (
        nn.CrossEntropyLoss()(logits, classes),
        -hand_log_probs[rows, classes].mean(),
    ),
    "BCEWithLogitsLoss": (nn.BCEWithLogitsLoss()(binary_logits, binary_targets), hand_bce),
    "NLLLoss": (nn.NLLLoss()(log_probs, classes), -log_probs[rows, classes].mean()),
}
loss_checks = {name: (lib.item(), hand.item()) for name, (lib, hand) in loss_checks.items()}
for name, (lib_value, hand_value) in loss_checks.items():
    print(f"{name:18s} PyTorch {lib_value:.6f}   вручную {hand_value:.6f}")

# %%
# Отсюда видно: CrossEntropyLoss — это LogSoftmax, за которым идёт NLLLoss. Поэтому
# последним слоем классификатора ставят ``Linear`` без softmax: softmax уже внутри потерь.

ce_value = nn.CrossEntropyLoss()(logits, classes).item()
ce_via_nll = nn.NLLLoss()(nn.LogSoftmax(dim=1)(logits), classes).item()
print(f"CrossEntropyLoss = {ce_value:.6f}, NLLLoss(LogSoftmax) = {ce_via_nll:.6f}")

# %%
# Один шаг оптимизатора
# ---------------------
# Оптимизатор получает список параметров и по их ``.grad`` делает шаг. Возьмём функцию
# :math:`L(p) = \frac12 \sum_j s_j p_j^2` с очень разными масштабами :math:`s_j`; её
# градиент :math:`s_j p_j`. SGD делает шаг :math:`p - \mathrm{lr}\cdot\nabla L`: по
# крутой координате — огромный, по пологой — крошечный. Adam делит градиент на оценку
# его величины, и на первом шаге каждая координата сдвигается почти ровно на lr в
# сторону, противоположную знаку градиента.

start = torch.tensor([1.0, -2.0, 0.5], device=device)
curvature = torch.tensor([0.01, 1.0, 100.0], device=device)


def bowl(p):
    return 0.5 * (curvature * p**2).sum()


p = start.clone().requires_grad_()
optimizer = torch.optim.SGD([p], lr=lr)
optimizer.zero_grad()
bowl(p).backward()
sgd_grad = p.grad.clone()
optimizer.step()
sgd_after = p.detach().clone()
sgd_expected = start - lr * sgd_grad
print(f"градиент {[round(g, 4) for g in sgd_grad.tolist()]}")
sgd_matches_formula = torch.allclose(sgd_after, sgd_expected)
print(
    f"SGD:  сдвиг {[round(v, 4) for v in (sgd_after - start).tolist()]}, "
    f"совпал с p - lr·grad: {sgd_matches_formula}"
)

p = start.clone().requires_grad_()
optimizer = torch.optim.Adam([p], lr=lr)
optimizer.zero_grad()
bowl(p).backward()
adam_grad = p.grad.clone()
optimizer.step()
adam_shift = p.detach() - start
print(f"Adam: сдвиг {[round(v, 4) for v in adam_shift.tolist()]}")

# %%
# Оптимизация шаг за шагом
# ------------------------
# Теперь полный цикл: найдём минимум :math:`(p - 3)^2`, начиная с :math:`p = 0`, обоими
# оптимизаторами с одним и тем же lr. SGD здесь идёт прямо к цели: каждый шаг умножает
# расстояние до 3 на :math:`1 - 2\,\mathrm{lr} = 0{,}8`. Adam шагает примерно на lr
# за раз, проскакивает минимум и затухающими колебаниями в него возвращается.

target = 3.0
trajectories = {}
optimizer_classes = {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam}
for name, optimizer_class in optimizer_classes.items():
    p = torch.zeros(1, device=device, requires_grad=True)
    optimizer = optimizer_class([p], lr=lr)
    path = [p.item()]
    for step in trange(num_steps, desc=name):
        loss = ((p - target) ** 2).sum()  # прямой проход
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        path.append(p.item())
    trajectories[name] = path
    print(f"{name}: после {num_steps} шагов p = {path[-1]:.5f}")

fig, (ax_p, ax_loss) = plt.subplots(1, 2, figsize=(10, 4))
for name, path in trajectories.items():
    ax_p.plot(path, label=name)
    # +1e-12: точный ноль на логарифмической шкале не нарисовать.
    ax_loss.plot([(value - target) ** 2 + 1e-12 for value in path], label=name)
ax_p.axhline(target, color="gray", linestyle="--", label="минимум p = 3")
ax_p.set_xlabel("шаг")
ax_p.set_ylabel("p")
ax_p.set_title("Путь параметра")
ax_p.legend()
ax_loss.set_yscale("log")
ax_loss.set_xlabel("шаг")
ax_loss.set_ylabel("(p - 3)²")
ax_loss.set_title("Значение функции")
ax_loss.legend()
save_figure(fig, "optimizers")

# %%
# Что дальше
# ----------
# Модель, функция потерь и оптимизатор — всё, что нужно для цикла обучения. Осталось
# научиться подавать данные батчами (урок 1.5) и сохранять результат (урок 1.9).
