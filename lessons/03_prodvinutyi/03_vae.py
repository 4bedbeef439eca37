"""
Вариационный автокодировщик
===========================

Автокодировщик сжимает картинку в короткий код и восстанавливает её обратно. Но если
взять случайный код, декодер обычного автокодировщика нарисует мусор: он никогда не видел
кодов вне тех, что выдавал кодировщик. Вариационный автокодировщик (VAE) учится так,
чтобы коды заполняли простое известное распределение — стандартное нормальное N(0, I).
Тогда случайный z ~ N(0, I) декодер превращает в правдоподобную цифру: VAE — это
генеративная модель, как GAN из урока 3.4, но обучается он спокойно, обычным спуском по
одной функции потерь, и сам сообщает, насколько хорошо описывает данные.

В уроке: трюк репараметризации (и почему без него градиент не проходит), нижняя оценка
правдоподобия ELBO = реконструкция − KL с проверкой KL против torch.distributions,
случайные цифры из VAE, карта двумерного кода, раскрашенная по цифрам, и ELBO на
тестовой части против двух точек отсчёта.

Запуск: ``kurs run 3.3`` (или ``kurs run vae``), быстрый режим — ``--quick``,
другой набор — ``--dataset fashion-mnist``.
"""

# %%
# Подготовка
# ----------

import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn
from torch.distributions import Normal, kl_divergence
from torch.utils.data import DataLoader, Subset, TensorDataset
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
hidden_size = 400
latent_dim = 16  # длина кода основной модели
map_latent_dim = 2  # вторая модель с кодом из двух чисел — ради карты на плоскости
num_epochs = 5 if opts.quick else 30
lr = 1e-3
train_limit = 4000  # больше картинок не берём: на больших наборах урок шёл бы в 15 раз дольше
test_limit = 2000  # и ELBO считаем по 2000 тестовым картинкам (у встроенного MNIST их 1000)
elbo_samples = 10  # сколько z на картинку при оценке ELBO на тестовой части
importance_samples = 10 if opts.quick else 50  # для оценки ln p(x) в конце урока

# %%
# Данные
# ------
# Пиксели оставляем в [0, 1] без Normalize: декодер будет выдавать для каждого пикселя
# вероятность «пиксель светлый», и яркость пикселя служит ему ответом. Картинку сразу
# вытягиваем в вектор: кодировщик и декодер здесь полносвязные.

info = DATASET_INFO[opts.dataset]
root = prepare(opts.dataset, opts.data)
Dataset = dataset_class(opts.dataset)
transform = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])
image_shape = (info.channels, info.size, info.size)
input_dim = math.prod(image_shape)


def load_tensors(train, limit=None):
    """Часть набора — в два тензора: картинки-векторы с пикселями в [0, 1] и метки."""
    dataset = Dataset(root, train=train, download=False, transform=transform)
    if limit is not None and limit < len(dataset):
        dataset = Subset(dataset, range(limit))
    images, labels = next(iter(DataLoader(dataset, batch_size=len(dataset))))
    return images.flatten(1), labels


X_train, y_train = load_tensors(train=True, limit=train_limit)
X_test, y_test = load_tensors(train=False, limit=test_limit)
X_test = X_test.to(device)
train_loader = DataLoader(TensorDataset(X_train), batch_size=batch_size, shuffle=True)
print(f"Обучение: {tuple(X_train.shape)}, тест: {tuple(X_test.shape)}")

# %%
# Модель
# ------
# Кодировщик по картинке x выдаёт не один код, а распределение кодов
# q(z|x) = N(μ, σ²) — два вектора: средние μ и логарифмы дисперсий ln σ² (логарифм,
# чтобы σ² = exp(ln σ²) всегда была положительной). Декодер по коду z выдаёт логиты
# пикселей: p(x|z) — независимые «монетки» (распределение Бернулли) с вероятностями
# σ(логит). Априорное распределение кодов p(z) = N(0, I).


class VAE(nn.Module):
    def __init__(self, latent_dim):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(input_dim, hidden_size), nn.ReLU())
        self.to_mu = nn.Linear(hidden_size, latent_dim)
        self.to_log_var = nn.Linear(hidden_size, latent_dim)
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, hidden_size), nn.ReLU(), nn.Linear(hidden_size, input_dim)
        )

    def encode(self, x):
        hidden = self.encoder(x)
        return self.to_mu(hidden), self.to_log_var(hidden)

    def forward(self, x):
        mu, log_var = self.encode(x)
        z = reparameterize(mu, log_var)
        return self.decoder(z), mu, log_var


# %%
# Трюк репараметризации
# ---------------------
# В прямом проходе нужно взять z из N(μ, σ²). Но случайный выбор — не функция от μ и σ,
# у него нет производной: ``Normal(mu, std).sample()`` возвращает тензор, оторванный от
# графа, и градиент потерь до кодировщика не дойдёт. Трюк: всю случайность выносим в
# ε ~ N(0, I), которая от параметров не зависит, а z получаем обычной арифметикой:
#
#     z = μ + σ·ε,   поэтому ∂z/∂μ = 1,  ∂z/∂σ = ε.
#
# Распределение z то же самое, а путь от потерь к μ и σ теперь состоит из сложения и
# умножения, через которые автоград проходит как обычно.


def reparameterize(mu, log_var):
    std = torch.exp(0.5 * log_var)  # σ = exp(½·ln σ²)
    eps = torch.randn_like(std)
    return mu + std * eps


mu = torch.tensor([0.5, -1.0], requires_grad=True)
std = torch.tensor([2.0, 0.3], requires_grad=True)
z_sampled = Normal(mu, std).sample()
sample_has_graph = z_sampled.requires_grad  # False: градиенту некуда идти
torch.manual_seed(1)
eps = torch.randn(2)
z = mu + std * eps
z.sum().backward()
trick_grad_mu, trick_grad_std = mu.grad.clone(), std.grad.clone()
print(f"sample(): requires_grad = {sample_has_graph}; z = μ + σ·ε: grad_fn = {z.grad_fn.name()}")
print(f"∂z/∂μ = {trick_grad_mu.tolist()}, ∂z/∂σ = {trick_grad_std.tolist()}, ε = {eps.tolist()}")

# В torch.distributions этот трюк уже есть: rsample() («r» — reparameterized).
torch.manual_seed(1)
z_rsample = Normal(mu, std).rsample()
print(f"rsample() с тем же зерном: {z_rsample.tolist()} (вручную: {z.tolist()})")

# %%
# Градиент через трюк — это оценка градиента среднего. Проверим на функции, где ответ
# известен: E[z²] = μ² + σ², значит ∂/∂μ = 2μ, ∂/∂σ = 2σ. Усредним z² по 100 000 случайных ε.

mu.grad, std.grad = None, None
eps = torch.randn(100_000, 2)
((mu + std * eps) ** 2).mean(dim=0).sum().backward()
mc_grad_mu, mc_grad_std = mu.grad.clone(), std.grad.clone()
print(f"Оценка ∂E[z²]/∂μ = {mc_grad_mu.tolist()}, точно 2μ = {(2 * mu).tolist()}")
print(f"Оценка ∂E[z²]/∂σ = {mc_grad_std.tolist()}, точно 2σ = {(2 * std).tolist()}")

# %%
# ELBO и KL
# ---------
# Правдоподобие картинки p(x) = ∫ p(x|z)·p(z) dz посчитать нельзя: интеграл по всем кодам.
# Зато можно посчитать нижнюю оценку — ELBO (evidence lower bound):
#
#     ln p(x) ≥ ELBO = E_q[ln p(x|z)] − KL(q(z|x) ‖ p(z)).
#
# Первое слагаемое — реконструкция: насколько хорошо декодер восстанавливает x из
# кода, взятого из q(z|x). Для монеток-пикселей это минус бинарная кросс-энтропия,
# просуммированная по пикселям. Второе — штраф KL: насколько распределение кодов
# картинки отличается от N(0, I). Без него кодировщик сделал бы σ крошечной, коды
# разных картинок разбежались бы далеко друг от друга — и случайный z ~ N(0, I)
# попадал бы в пустоту. Учим VAE, минимизируя −ELBO; единица — наты на картинку
# (натуральный логарифм).
#
# Для двух нормальных распределений KL считается точно, по каждой координате кода:
#
#     KL(N(μ, σ²) ‖ N(0, 1)) = ½·(μ² + σ² − ln σ² − 1),
#
# и по координатам складывается. Проверим формулу двумя способами: функцией
# ``kl_divergence`` из torch.distributions и методом Монте-Карло — KL — это среднее
# ln q(z) − ln p(z) по z из q, оценим его по 200 000 z.


def kl_to_standard_normal(mu, log_var):
    """KL(N(μ, σ²) ‖ N(0, I)) для каждой строки: сумма по координатам кода."""
    return 0.5 * (mu.pow(2) + log_var.exp() - log_var - 1).sum(dim=-1)


torch.manual_seed(2)
check_mu = torch.randn(4, latent_dim)
check_log_var = torch.randn(4, latent_dim) * 0.5
kl_formula = kl_to_standard_normal(check_mu, check_log_var)
q = Normal(check_mu, torch.exp(0.5 * check_log_var))
prior = Normal(torch.zeros_like(check_mu), torch.ones_like(check_mu))
kl_torch = kl_divergence(q, prior).sum(dim=-1)
z_mc = q.sample((200_000,))  # (200 000, 4, latent_dim)
log_ratio = (q.log_prob(z_mc) - prior.log_prob(z_mc)).sum(dim=-1)
kl_monte_carlo = log_ratio.mean(dim=0)
kl_monte_carlo_error = log_ratio.std(dim=0) / math.sqrt(len(log_ratio))
print(f"KL по формуле:          {kl_formula.tolist()}")
print(f"kl_divergence:          {kl_torch.tolist()}")
print(f"Монте-Карло:            {kl_monte_carlo.tolist()} ± {kl_monte_carlo_error.max():.3f}")


def negative_elbo_terms(model, x):
    """Для каждой картинки: −(реконструкция) и KL; −ELBO — их сумма."""
    logits, mu, log_var = model(x)
    reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(dim=1)
    return reconstruction, kl_to_standard_normal(mu, log_var)


# %%
# Обучение
# --------
# Обычный цикл: прямой проход, потери, ``zero_grad``, ``backward``, ``step``. Потери —
# −ELBO, усреднённое по батчу. После каждой эпохи считаем ELBO на тестовой части;
# чтобы случайность z не дёргала число, берём для каждой картинки ``elbo_samples``
# кодов и усредняем.


def evaluate(model):
    """ELBO, реконструкция и KL на тестовой части, наты на картинку (в среднем)."""
    model.eval()
    reconstruction, kl = 0.0, 0.0
    with torch.no_grad():
        for _ in range(elbo_samples):
            rec_part, kl_part = negative_elbo_terms(model, X_test)
            reconstruction += rec_part.mean().item() / elbo_samples
            kl += kl_part.mean().item() / elbo_samples
    return {"elbo": -(reconstruction + kl), "reconstruction": -reconstruction, "kl": kl}


def fit(model, name):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    train_losses, test_elbos = [], []
    progress = trange(num_epochs, desc=name)
    for epoch in progress:
        model.train()
        epoch_loss = 0.0
        for (x,) in train_loader:
            x = x.to(device)
            reconstruction, kl = negative_elbo_terms(model, x)
            loss = (reconstruction + kl).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            epoch_loss += loss.item() * len(x)
        train_losses.append(epoch_loss / len(X_train))
        test_elbos.append(evaluate(model)["elbo"])
        progress.set_postfix(elbo=f"{test_elbos[-1]:.1f}")
    return train_losses, test_elbos


model = VAE(latent_dim).to(device)
untrained = evaluate(model)
train_losses, test_elbos = fit(model, f"VAE, код {latent_dim}")
result = evaluate(model)
test_elbo = result["elbo"]
print(
    f"ELBO на тестовой части: {untrained['elbo']:.1f} → {test_elbo:.1f} нат "
    f"(реконструкция {result['reconstruction']:.1f}, KL {result['kl']:.1f})"
)

# %%
# Точки отсчёта
# -------------
# Необученная модель — слабая планка. Честнее сравнить с моделью без кода вовсе:
# каждый пиксель — независимая монетка с вероятностью, равной средней яркости этого
# пикселя на обучающей части. Её ln p(x) считается точно, без оценок. ELBO — лишь нижняя
# граница ln p(x) VAE, и если даже граница выше точного правдоподобия модели «средняя
# картинка», то VAE описывает данные лучше наверняка.

pixel_means = X_train.mean(dim=0).clamp(1e-3, 1 - 1e-3).to(device)
pixel_baseline = (
    -F.binary_cross_entropy(pixel_means.expand_as(X_test), X_test, reduction="none")
    .sum(dim=1)
    .mean()
    .item()
)
print(f"Без кода (средняя яркость пикселей): {pixel_baseline:.1f} нат")
print(f"Необученный VAE: {untrained['elbo']:.1f}, обученный: {test_elbo:.1f} нат")

# %%
# Одно замечание о числах. Наши пиксели не чёрно-белые, а серые, и для них кросс-энтропия
# не бывает нулём: даже идеальный декодер получит около H(x) = −Σ [x·ln x + (1−x)·ln(1−x)]
# нат. Поэтому ELBO здесь сравнимы только между моделями, посчитанными так же, — как наши
# три. В статьях MNIST обычно бинаризуют, и числа там другие.
#
# Насколько ELBO ниже настоящего ln p(x)? Можно оценить, взяв для каждой картинки K
# кодов из q(z|x) и усреднив отношения правдоподобий (оценка с весами важности,
# importance sampling):
#
#     ln p(x) ≈ ln (1/K)·Σₖ p(x|zₖ)·p(zₖ) / q(zₖ|x).
#
# Её среднее тоже нижняя граница, но с ростом K она подбирается к ln p(x) и никогда не
# ниже ELBO в среднем. Считаем её в логарифмах через ``torch.logsumexp``, чтобы не
# получить ноль от произведения сотен малых вероятностей.

model.eval()
with torch.no_grad():
    test_mu, test_log_var = model.encode(X_test)
    q_test = Normal(test_mu, torch.exp(0.5 * test_log_var))
    z_k = q_test.sample((importance_samples,))  # (K, картинки, код)
    logits = model.decoder(z_k)
    log_px_given_z = -F.binary_cross_entropy_with_logits(
        logits, X_test.expand_as(logits), reduction="none"
    ).sum(dim=-1)
    log_pz = Normal(0.0, 1.0).log_prob(z_k).sum(dim=-1)
    log_qz = q_test.log_prob(z_k).sum(dim=-1)
    log_weights = log_px_given_z + log_pz - log_qz
    importance_log_px = (
        (torch.logsumexp(log_weights, dim=0) - math.log(importance_samples)).mean().item()
    )
print(f"ln p(x) с {importance_samples} кодами: {importance_log_px:.1f} нат, ELBO: {test_elbo:.1f}")

# %%
# Случайные цифры
# ---------------
# Генерация — это только декодер: берём z ~ N(0, I) и смотрим на вероятности пикселей
# σ(логит). Сверху для сравнения — как VAE восстанавливает картинки тестовой части
# (по среднему коду μ, без случайности).

with torch.no_grad():
    z_random = torch.randn(64, latent_dim, device=device)
    samples = torch.sigmoid(model.decoder(z_random)).view(-1, *image_shape).cpu()
    reconstructions = torch.sigmoid(model.decoder(test_mu[:32])).view(-1, *image_shape).cpu()
originals = X_test[:32].view(-1, *image_shape).cpu()


def show(images, nrow=8):
    return make_grid(images, nrow=nrow, padding=1).permute(1, 2, 0).squeeze(-1).numpy()


fig, (ax_rec, ax_samples) = plt.subplots(1, 2, figsize=(11, 5.5))
pairs = torch.stack([originals, reconstructions], dim=1).flatten(0, 1)  # оригинал, копия, …
ax_rec.imshow(show(pairs), cmap="gray")
ax_rec.set_title("Тестовая часть: оригинал и восстановление")
ax_samples.imshow(show(samples), cmap="gray")
ax_samples.set_title("Случайные z ~ N(0, I) через декодер")
for ax in (ax_rec, ax_samples):
    ax.axis("off")
save_figure(fig, "vae_samples")

# %%
# Карта кода на плоскости
# -----------------------
# Обучим вторую модель с кодом из двух чисел: её коды можно нарисовать прямо на
# плоскости. Меток цифр VAE не видел, но похожие картинки получают близкие коды — точки
# одной цифры собираются в области. Измерим это: угадаем цифру тестовой картинки по пяти
# ближайшим кодам обучающих картинок (метод k ближайших соседей) — если цифры
# перемешаны, доля верных ответов будет около 0.1.

map_model = VAE(map_latent_dim).to(device)
map_train_losses, map_test_elbos = fit(map_model, "VAE, код 2")
map_test_elbo = evaluate(map_model)["elbo"]
map_model.eval()
with torch.no_grad():
    train_codes, _ = map_model.encode(X_train.to(device))
    test_codes, _ = map_model.encode(X_test)
    neighbours = torch.cdist(test_codes, train_codes).topk(5, largest=False).indices
    votes = y_train.to(device)[neighbours]
    knn_accuracy = (votes.mode(dim=1).values == y_test.to(device)).float().mean().item()
print(f"ELBO с кодом 2: {map_test_elbo:.1f} нат (с кодом {latent_dim}: {test_elbo:.1f})")
print(f"Цифра по 5 соседям в коде 2: доля верных ответов {knn_accuracy:.3f}")

# %%
# Справа — то же пространство, увиденное декодером: сетка кодов от −2 до 2 по каждой оси
# (почти вся масса N(0, 1)) и картинка для каждого узла. Видно, как одна цифра плавно
# перетекает в другую.

steps = torch.linspace(-2, 2, 15)
grid_z = torch.stack(torch.meshgrid(steps, -steps, indexing="xy"), dim=-1).view(-1, 2)
with torch.no_grad():
    manifold = torch.sigmoid(map_model.decoder(grid_z.to(device))).view(-1, *image_shape).cpu()

fig, (ax_map, ax_grid) = plt.subplots(1, 2, figsize=(13, 6))
points = test_codes.cpu().numpy()
scatter = ax_map.scatter(points[:, 0], points[:, 1], c=y_test.numpy(), cmap="tab10", s=6)
handles = [
    plt.Line2D([], [], marker="o", linestyle="", color=scatter.cmap(scatter.norm(k)))
    for k in range(len(info.classes))
]
ax_map.legend(handles, info.classes, title="класс", fontsize=8, loc="upper right")
ax_map.set_xlabel("z₁")
ax_map.set_ylabel("z₂")
ax_map.set_title("Средние коды μ тестовой части")
ax_grid.imshow(show(manifold, nrow=15), cmap="gray", extent=(-2, 2, -2, 2))
ax_grid.set_xlabel("z₁")
ax_grid.set_ylabel("z₂")
ax_grid.set_title("Декодер на сетке кодов")
save_figure(fig, "vae_latent_map")

# %%
# Кривые обучения обеих моделей и точки отсчёта.

fig, ax = plt.subplots(figsize=(8, 4.5))
epochs = range(1, num_epochs + 1)
ax.plot(epochs, test_elbos, marker="o", label=f"VAE, код {latent_dim}")
ax.plot(epochs, map_test_elbos, marker="s", label=f"VAE, код {map_latent_dim}")
ax.axhline(pixel_baseline, color="gray", linestyle="--", label="без кода")
ax.set_xlabel("эпоха")
ax.set_xticks(list(epochs)[:: max(1, num_epochs // 10)])  # только целые эпохи
ax.set_ylabel("ELBO на тестовой части, нат")
ax.set_title("Чем выше, тем лучше")
ax.legend()
save_figure(fig, "vae_training")

# %%
# Что дальше
# ----------
# Обучите дольше (``num_epochs``) и с кодом побольше — ELBO продолжит расти, пока модель
# не начнёт переобучаться на 4000 картинках (следите за ELBO на тестовой части, а не на
# обучении). Картинки VAE мягче, чем у GAN: декодер выдаёт среднее по многим
# правдоподобным картинкам. Зато у VAE есть число — ELBO, по которому модели можно
# честно сравнивать, а у GAN такого числа нет, и в уроке 3.4 качество приходится мерить
# внешним классификатором.
