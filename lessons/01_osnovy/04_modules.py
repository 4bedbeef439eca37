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
# Размеры маленькой сети, вероятность Dropout и параметры оптимизаторов: скорость
# обучения (lr) и импульс (momentum) — что это такое, разберём в конце урока.

import matplotlib.pyplot as plt
import torch
from torch import nn

from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Гиперпараметры
in_features, hidden_size, num_classes = 4, 16, 3
p_drop = 0.5  # вероятность, с которой Dropout обнуляет элемент
lr = 0.1  # скорость обучения для одного шага SGD и Adam
ravine_lr = 0.04  # скорость обучения в «овраге» из последнего раздела
momentum = 0.9
num_steps = 100

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
# Некоторые слои ведут себя по-разному при обучении и при оценке модели (на
# валидационной или тестовой части). ``model.train()`` и ``model.eval()`` переключают
# флаг ``training`` у модели и у всех её подмодулей.
#
# Dropout в режиме train обнуляет каждый элемент с вероятностью p (аргумент ``p`` у
# ``nn.Dropout``, у нас ``p_drop``), а уцелевшие умножает на 1/(1 − p), чтобы среднее
# значение не изменилось. В режиме eval он ничего не делает. Посмотрим на это на тензоре
# из единиц.

dropout = nn.Dropout(p=p_drop)
ones = torch.ones(10_000, device=device)
dropout.train()
dropped_train = dropout(ones)
dropout.eval()
dropped_eval = dropout(ones)
zero_fraction = (dropped_train == 0).float().mean().item()
survivor_values = dropped_train[dropped_train != 0].unique().tolist()
dropped_mean = dropped_train.mean().item()
print(f"train: обнулена доля {zero_fraction:.3f} элементов (p = {p_drop})")
print(f"  уцелевшие = {survivor_values}, среднее {dropped_mean:.3f} (было 1)")
print(f"eval: выход совпал со входом: {torch.equal(dropped_eval, ones)}")

# %%
# В режиме train два прохода одной и той же сети по одному входу дают разные ответы
# (каждый раз обнуляются другие нейроны), в режиме eval — одинаковые.

sample = torch.randn(5, in_features, device=device)
model.train()
train_outputs_differ = not torch.equal(model(sample), model(sample))
model.eval()
eval_outputs_equal = torch.equal(model(sample), model(sample))
print(f"train: ответы различаются — {train_outputs_differ}; eval: совпадают — {eval_outputs_equal}")

# %%
# Слои, которые встречаются чаще всего
# ------------------------------------
# Свёрточный слой ``nn.Conv2d`` (подробно — в разделе 2) принимает батч картинок формы
# (N, C, H, W). При ядре k, страйде s (на сколько пикселей сдвигается ядро) и дополнении
# нулями pad высота выхода равна ⌊(H + 2·pad − k) / s⌋ + 1.

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
# Такой вектор называют эмбеддингом; таблица — обучаемый параметр.
#
# ``nn.BatchNorm1d`` (нормализация по батчу) нормирует каждый признак: вычитает среднее
# батча μ, делит на стандартное отклонение (точнее, на √(σ² + ε), ε = 10⁻⁵ — чтобы не
# делить на ноль), а потом умножает на обучаемый вес γ (``weight``) и прибавляет
# обучаемый сдвиг β (``bias``):  y = γ·(x − μ)/√(σ² + ε) + β.  Вначале γ = 1 и β = 0, и
# выход — ровно нормированный вход; если нормировка сети мешает, при обучении она
# подберёт свои масштаб и сдвиг. Для режима eval слой копит скользящие средние:
# running_mean ← 0.9·running_mean + 0.1·μ (так же running_var, но с несмещённой
# дисперсией). Это буферы: они лежат в ``state_dict``, но не параметры, и оптимизатор
# их не трогает. Число 0.1 у BatchNorm тоже зовётся ``momentum``, но с импульсом
# оптимизатора из конца урока у него общее только имя.

embedding = nn.Embedding(10, 4).to(device)
tokens = torch.tensor([[1, 5, 5, 9]], device=device)
token_vectors = embedding(tokens)
print(f"Embedding: {tuple(tokens.shape)} -> {tuple(token_vectors.shape)}")

features = torch.randn(64, 3, device=device) * 5 + 10
batch_norm = nn.BatchNorm1d(3).to(device)
normalized = batch_norm(features)  # модуль только что создан, он в режиме train
bn_std = normalized.std(dim=0, unbiased=False)
print(f"BatchNorm1d: средние {[round(m, 4) for m in normalized.mean(dim=0).tolist()]}")
print(f"  стандартные отклонения {[round(v, 4) for v in bn_std.tolist()]}")
print(f"  γ = {batch_norm.weight.tolist()}, β = {batch_norm.bias.tolist()}")
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
# Функция потерь сводит ошибку модели на батче из N примеров к одному числу. Для
# регрессии: MSE = (1/N)·Σᵢ (ŷᵢ − yᵢ)² — средний квадрат ошибки, L1 = (1/N)·Σᵢ |ŷᵢ − yᵢ| —
# средний модуль. Для классификации CrossEntropyLoss (кросс-энтропия) принимает *логиты* z
# — сырые выходы сети, ещё не вероятности, — и номера верных классов y:
#
#     CE = −(1/N)·Σᵢ log softmax(zᵢ)[yᵢ],   softmax(z)ⱼ = e^zⱼ / Σₖ e^zₖ.
#
# NLLLoss ждёт уже готовые логарифмы вероятностей: берёт нужный элемент со знаком минус и
# усредняет. Для двух классов — BCEWithLogitsLoss с сигмоидой σ(z) = 1/(1 + e^−z):
#
#     BCE = −(1/N)·Σᵢ [yᵢ·log σ(zᵢ) + (1 − yᵢ)·log(1 − σ(zᵢ))].
#
# Каждую функцию считаем двумя способами.

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
# Оптимизатор получает список параметров и по их ``.grad`` делает шаг — одно обновление
# параметров. Возьмём функцию L(w) = ½·Σⱼ sⱼ·wⱼ² с очень разными масштабами sⱼ; её
# градиент ∂L/∂wⱼ = sⱼ·wⱼ. SGD (стохастический градиентный спуск) делает шаг
# w ← w − lr·∇L(w), где lr — скорость обучения: по крутой координате шаг огромный, по
# пологой — крошечный. Adam делит градиент на оценку его величины, и на первом шаге
# каждая координата сдвигается почти ровно на lr в сторону, противоположную знаку
# градиента.

start = torch.tensor([1.0, -2.0, 0.5], device=device)
curvature = torch.tensor([0.01, 1.0, 100.0], device=device)


def bowl(w):
    return 0.5 * (curvature * w**2).sum()


w = start.clone().requires_grad_()
optimizer = torch.optim.SGD([w], lr=lr)
optimizer.zero_grad()
bowl(w).backward()
sgd_grad = w.grad.clone()
optimizer.step()
sgd_after = w.detach().clone()
sgd_expected = start - lr * sgd_grad
print(f"градиент {[round(g, 4) for g in sgd_grad.tolist()]}")
sgd_matches_formula = torch.allclose(sgd_after, sgd_expected)
print(
    f"SGD:  сдвиг {[round(v, 4) for v in (sgd_after - start).tolist()]}, "
    f"совпал с w − lr·grad: {sgd_matches_formula}"
)

w = start.clone().requires_grad_()
optimizer = torch.optim.Adam([w], lr=lr)
optimizer.zero_grad()
bowl(w).backward()
adam_grad = w.grad.clone()
optimizer.step()
adam_shift = w.detach() - start
print(f"Adam: сдвиг {[round(v, 4) for v in adam_shift.tolist()]}")

# %%
# Импульс (momentum)
# ------------------
# Цикл обучения — это шаги оптимизатора один за другим: прямой проход, функция потерь,
# ``zero_grad()``, ``backward()``, ``step()``. Посмотрим на него в «овраге»
# L(w) = ½·(0.5·w₁² + 40·w₂²): поперёк оврага (w₂) склон крутой, вдоль (w₁) — пологий.
# SGD сначала перескакивает со склона на склон (w₂ каждый шаг меняет знак), а потом
# еле ползёт по дну: вдоль оврага шаг сокращает расстояние до минимума всего на 2 %.
#
# SGD с импульсом копит «скорость» v — сумму прошлых градиентов, каждый из которых
# затухает с множителем μ (``momentum``, обычно 0.9):
#
#     v ← μ·v + ∇L(w),   w ← w − lr·v      (на первом шаге v = ∇L(w)).
#
# Там, где градиент всё время направлен в одну сторону (вдоль оврага), вклады
# складываются, и шаг растёт — при постоянном градиенте до 1/(1 − μ) = 10 обычных шагов.
# Как тяжёлый шар, импульс проскакивает дно и дольше раскачивается поперёк оврага, но
# к минимуму приходит намного быстрее. Его мы встретим снова в уроке 1.7, где SGD
# с momentum = 0.9 обучает классификатор цифр.

ravine_curvature = torch.tensor([0.5, 40.0], device=device)
ravine_start = torch.tensor([-4.0, 0.5], device=device)


def ravine(w):
    return 0.5 * (ravine_curvature * w**2).sum()


trajectories = {}
for name, beta in {"SGD": 0.0, f"SGD, momentum = {momentum}": momentum}.items():
    w = ravine_start.clone().requires_grad_()
    optimizer = torch.optim.SGD([w], lr=ravine_lr, momentum=beta)
    path = [w.detach().cpu().clone()]
    for step in range(num_steps):
        loss = ravine(w)  # прямой проход и функция потерь
        optimizer.zero_grad()  # обнулить старые градиенты
        loss.backward()  # посчитать новые
        optimizer.step()  # сделать шаг
        path.append(w.detach().cpu().clone())
    trajectories[name] = torch.stack(path)
    print(f"{name}: после {num_steps} шагов w = {path[-1].tolist()}, L = {ravine(w).item():.2e}")

# Та же траектория с импульсом по формуле, без оптимизатора.
w_hand, v_hand = ravine_start.cpu().clone(), torch.zeros(2)
hand_path = [w_hand.clone()]
for step in range(num_steps):
    v_hand = momentum * v_hand + ravine_curvature.cpu() * w_hand  # ∇L = s·w
    w_hand = w_hand - ravine_lr * v_hand
    hand_path.append(w_hand.clone())
momentum_path = trajectories[f"SGD, momentum = {momentum}"]
momentum_matches_formula = torch.allclose(torch.stack(hand_path), momentum_path, atol=1e-5)
print(f"Формула v ← μ·v + ∇L, w ← w − lr·v совпала с оптимизатором: {momentum_matches_formula}")

fig, (ax_path, ax_loss) = plt.subplots(1, 2, figsize=(11, 4))
grid_w1, grid_w2 = torch.meshgrid(
    torch.linspace(-4.5, 1.5, 200), torch.linspace(-0.8, 0.8, 200), indexing="ij"
)
levels = 0.5 * (0.5 * grid_w1**2 + 40 * grid_w2**2)
ax_path.contour(grid_w1, grid_w2, levels, levels=[0.05, 0.3, 1, 2, 4, 8], colors="0.8")
for name, path in trajectories.items():
    ax_path.plot(path[:, 0], path[:, 1], marker=".", markersize=3, linewidth=1, label=name)
    losses = [ravine(point.to(device)).item() for point in path]
    ax_loss.plot(losses, label=name)
ax_path.plot([0], [0], "k*", markersize=10, label="минимум")
ax_path.set_xlabel("w₁ (вдоль оврага)")
ax_path.set_ylabel("w₂ (поперёк оврага)")
ax_path.set_title(f"Путь за {num_steps} шагов, lr = {ravine_lr}")
ax_path.legend()
ax_loss.set_yscale("log")
ax_loss.set_xlabel("шаг")
ax_loss.set_ylabel("L(w)")
ax_loss.set_title("Функция потерь")
ax_loss.legend()
save_figure(fig, "momentum")

# %%
# Что дальше
# ----------
# Модель, функция потерь и оптимизатор — всё, что нужно для цикла обучения. Осталось
# научиться подавать данные батчами (урок 1.5); первую модель на настоящих данных обучим
# в уроке 1.6, а сохранять результат научимся в уроке 1.9.
