"""
GAN: генератор против дискриминатора
====================================

Генеративно-состязательная сеть (GAN) — это две сети, которые учатся друг против друга.
Генератор превращает случайный шум в картинку. Дискриминатор смотрит на картинку и
решает, настоящая она или подделка. Дискриминатор учится ловить подделки, генератор —
обманывать дискриминатор, и если равновесие удаётся удержать, генератор начинает рисовать
правдоподобные цифры, хотя ни одной цифры он не видел: до него доходят только градиенты
через дискриминатор.

В уроке: свёрточные генератор и дискриминатор, поочерёдный цикл обучения и ``detach``
там, где он нужен (и опыт, показывающий почему); качество картинок мы не оцениваем на глаз,
а измеряем классификатором цифр, обученным здесь же; и два типичных провала GAN —
дискриминатор, который выигрывает, и схлопывание мод — оба на настоящих запусках с числами.

Запуск: ``kurs run 3.4`` (или ``kurs run gan``), быстрый режим — ``--quick``,
другой набор — ``--dataset fashion-mnist``.
"""

# %%
# Подготовка
# ----------

import copy

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Subset, TensorDataset
from torchvision.transforms import v2
from torchvision.utils import make_grid
from tqdm import tqdm, trange

from kurs.data import DATASET_INFO, dataset_class, prepare
from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Гиперпараметры
batch_size = 32
latent_dim = 64  # длина вектора шума z, из которого генератор рисует картинку
channels = 16  # каналов в свёрточных слоях (второй слой — вдвое больше)
num_steps = 200 if opts.quick else 1000  # шагов игры; эпоха на 4000 картинках — 125 шагов
lr_g = 1e-3  # скорость обучения генератора
lr_d = 5e-4  # скорость обучения дискриминатора
betas = (0.5, 0.999)  # у Adam для GAN берут β₁ = 0.5: меньше инерции в меняющейся игре
train_limit = 4000  # больше картинок не берём: на больших наборах урок шёл бы в 15 раз дольше
judge_epochs = 2 if opts.quick else 6  # эпохи классификатора, который оценивает картинки
confident = 0.9  # ответ классификатора «уверенный», если вероятность класса ≥ 0.9
num_samples = 1000  # сколько картинок генератора оцениваем
failure_steps = 20 if opts.quick else 80  # длина опыта с сильным дискриминатором
collapse_steps = 100 if opts.quick else 200  # длина опыта со схлопыванием мод
collapse_speedup = 20 if opts.quick else 10  # во сколько раз генератор в этом опыте быстрее

# %%
# Данные
# ------
# Как в разделе 2, набор один раз проходит через преобразования и остаётся в памяти
# тензором. Отличие одно: генератор кончается функцией tanh, которая выдаёт числа
# от −1 до 1, поэтому и настоящие картинки переводим в [−1, 1]:
# x' = (x − 0.5) / 0.5. Иначе дискриминатор отличал бы подделки просто по диапазону.

info = DATASET_INFO[opts.dataset]
root = prepare(opts.dataset, opts.data)
Dataset = dataset_class(opts.dataset)
num_classes = len(info.classes)
image_shape = (info.channels, info.size, info.size)
transform = v2.Compose(
    [
        v2.ToImage(),
        v2.ToDtype(torch.float32, scale=True),
        v2.Normalize([0.5] * info.channels, [0.5] * info.channels),
    ]
)


def load_tensors(train, limit=None):
    """Часть набора — в два тензора: картинки в [−1, 1] и метки."""
    dataset = Dataset(root, train=train, download=False, transform=transform)
    if limit is not None and limit < len(dataset):
        dataset = Subset(dataset, range(limit))
    return next(iter(DataLoader(dataset, batch_size=len(dataset))))


X_train, y_train = load_tensors(train=True, limit=train_limit)
X_test, y_test = load_tensors(train=False)
X_test, y_test = X_test.to(device), y_test.to(device)
# drop_last: метки ones и zeros ниже заведены на полный батч, а BatchNorm не работает на
# батче из одной картинки. 4000 делится на 32 нацело, так что здесь это страховка.
train_loader = DataLoader(
    TensorDataset(X_train, y_train), batch_size=batch_size, shuffle=True, drop_last=True
)
print(f"Обучение: {tuple(X_train.shape)}, от {X_train.min():.0f} до {X_train.max():.0f}")


def show(images):
    """Картинки из [−1, 1] — в сетку для imshow."""
    grid = make_grid(images[:64].detach().cpu(), nrow=8, normalize=True, value_range=(-1, 1))
    return grid.permute(1, 2, 0).squeeze(-1).numpy()


# %%
# Судья: классификатор цифр
# -------------------------
# «Картинки стали похожи на цифры» — это впечатление, а не измерение. Измерять будем
# классификатором: обучим здесь же маленькую свёрточную сеть в духе урока 2.2 и будем
# показывать ей картинки генератора. Из ответов получаются три числа:
#
# * **доля уверенных картинок** — для какой доли картинок классификатор уверен в
#   ответе (вероятность класса ≥ 0.9); размазня и шум уверенных ответов не дают;
# * **сколько классов представлено** — к скольким из 10 цифр уверенно отнесены хотя бы
#   0.5 % картинок (5 из 1000; при равных долях на каждую пришлось бы по 100);
# * **эффективное число классов** exp(H), где H = −Σ pₖ·ln pₖ — энтропия долей, с
#   которыми классификатор относит картинки (все, не только уверенные) к каждой цифре.
#   Если все 10 цифр встречаются поровну, это 10; если всё — одна цифра, то 1.
#
# У классификатора есть слабое место: уверенный ответ он может дать и на узор, совсем
# не похожий на цифру (такие узоры мы ещё увидим). Поэтому рядом считаем два числа, которым
# классификатор не нужен: **расстояние до ближайшей настоящей картинки** обучающей части
# (у мусора оно большое) и **разнообразие** — среднее расстояние между двумя картинками
# генератора, уменьшенными до 7×7 (чтобы мелкая рябь не считалась разнообразием; если
# генератор рисует одно и то же, оно падает до нуля).

judge = nn.Sequential(
    nn.Conv2d(info.channels, 8, kernel_size=5, padding=2),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(8, 16, kernel_size=5, padding=2),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(16 * (info.size // 4) ** 2, num_classes),
).to(device)
judge_optimizer = torch.optim.Adam(judge.parameters(), lr=2e-3)
judge_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True)
for epoch in trange(judge_epochs, desc="Классификатор"):
    judge.train()
    for images, labels in judge_loader:
        images, labels = images.to(device), labels.to(device)
        loss = F.cross_entropy(judge(images), labels)
        judge_optimizer.zero_grad()
        loss.backward()
        judge_optimizer.step()
judge.eval()
with torch.no_grad():
    judge_accuracy = (judge(X_test).argmax(dim=1) == y_test).float().mean().item()
print(f"Классификатор: доля верных ответов (accuracy) на тестовой части {judge_accuracy:.3f}")

min_class_count = num_samples // 200  # 0.5 % картинок
X_train_flat = X_train.to(device).flatten(1)


def measure(images):
    """Качество набора картинок: словарь с числами, описанными выше."""
    with torch.no_grad():
        probabilities = F.softmax(judge(images), dim=1)
        top, label = probabilities.max(dim=1)
        is_confident = top >= confident
        counts = torch.bincount(label[is_confident], minlength=num_classes)
        shares = torch.bincount(label, minlength=num_classes) / len(label)
        entropy = -(shares * shares.clamp_min(1e-12).log()).sum()
        flat = images.flatten(1)
        nearest = torch.cdist(flat, X_train_flat).min(dim=1).values
    return {
        "confident_share": is_confident.float().mean().item(),
        "classes": int((counts >= min_class_count).sum()),
        "effective_classes": entropy.exp().item(),
        "nearest_real": nearest.mean().item(),
        "diversity": F.pdist(F.avg_pool2d(images, 4).flatten(1)).mean().item(),
        "counts": counts.tolist(),
    }


def describe(name, quality):
    print(
        f"{name}: уверенных {quality['confident_share']:.1%}, классов {quality['classes']} из "
        f"{num_classes}, эффективно {quality['effective_classes']:.1f}; до ближайшей настоящей "
        f"{quality['nearest_real']:.1f}, разнообразие {quality['diversity']:.1f}"
    )


# Планка сверху — настоящие картинки тестовой части: классификатор их не видел.
real_quality = measure(X_test[:num_samples])
describe("Настоящие картинки", real_quality)

# %%
# Генератор и дискриминатор
# -------------------------
# Генератор (вариант DCGAN — свёрточного GAN): линейный слой разворачивает шум z в
# карты 7×7, два транспонированных свёрточных слоя с ядром 4 и страйдом 2 увеличивают их
# до 14×14 и 28×28 (транспонированная свёртка — операция, обратная свёртке по размерам:
# она увеличивает карту). BatchNorm и ReLU между слоями, tanh в конце.
#
# Дискриминатор — зеркальный: свёртки со страйдом 2 уменьшают 28×28 до 14×14 и 7×7,
# LeakyReLU (у отрицательных входов наклон 0.2, а не 0) пропускает градиент и там, где
# ReLU его бы обнулила, — генератор учится только через градиенты дискриминатора.
# Выход — один логит: «насколько картинка похожа на настоящую». Сигмоиду в модель не
# ставим — она внутри ``nn.BCEWithLogitsLoss``, как softmax внутри кросс-энтропии.

small = info.size // 4  # 7 для картинок 28×28, 8 для 32×32


def make_generator():
    return nn.Sequential(
        nn.Linear(latent_dim, 2 * channels * small * small),
        nn.BatchNorm1d(2 * channels * small * small),
        nn.ReLU(),
        nn.Unflatten(1, (2 * channels, small, small)),
        nn.ConvTranspose2d(2 * channels, channels, kernel_size=4, stride=2, padding=1),
        nn.BatchNorm2d(channels),
        nn.ReLU(),
        nn.ConvTranspose2d(channels, info.channels, kernel_size=4, stride=2, padding=1),
        nn.Tanh(),
    ).to(device)


def make_discriminator():
    return nn.Sequential(
        nn.Conv2d(info.channels, channels, kernel_size=4, stride=2, padding=1),
        nn.LeakyReLU(0.2),
        nn.Conv2d(channels, 2 * channels, kernel_size=4, stride=2, padding=1),
        nn.BatchNorm2d(2 * channels),
        nn.LeakyReLU(0.2),
        nn.Flatten(),
        nn.Linear(2 * channels * small * small, 1),
    ).to(device)


generator = make_generator()
discriminator = make_discriminator()
criterion = nn.BCEWithLogitsLoss()
# Одни и те же 1000 векторов шума: по ним следим, как меняются картинки генератора.
fixed_z = torch.randn(num_samples, latent_dim, device=device)


def sample(generator, z=fixed_z):
    """Картинки генератора в режиме eval (BatchNorm со средними за обучение)."""
    generator.eval()
    with torch.no_grad():
        images = generator(z)
    generator.train()
    return images


with torch.no_grad():
    example = generator(torch.randn(batch_size, latent_dim, device=device))
print(f"Генератор: {tuple(example.shape[1:])}, дискриминатор: {discriminator(example).shape}")
untrained_quality = measure(sample(generator))
describe("Необученный генератор", untrained_quality)
initial_state = (copy.deepcopy(generator.state_dict()), copy.deepcopy(discriminator.state_dict()))

# %%
# Функции потерь двух игроков
# ---------------------------
# Обозначим D(x) = σ(логит) — вероятность «настоящая», которую дискриминатор даёт
# картинке x, и G(z) — картинку генератора. Дискриминатор решает обычную задачу
# двух классов: настоящим — метка 1, подделкам — 0:
#
#     потери D = −ln D(x) − ln(1 − D(G(z)))
#
# Генератор хочет обратного. В исходной статье о GAN (Goodfellow и др., 2014) он
# минимизирует ln(1 − D(G(z))) — ровно минус вторую половину потерь D. Но на практике
# берут другую, «ненасыщающуюся» форму: метку 1 для подделок,
#
#     потери G = −ln D(G(z)).
#
# Обе зовут генератор в одну сторону, но пока дискриминатор уверенно ловит подделки
# (D(G(z)) ≈ 0), градиент первой почти ноль, а второй — большой. Это мы измерим ниже,
# в опыте с дискриминатором, который выигрывает.

# %%
# Зачем ``detach``
# ----------------
# В каждом шаге картинки ``fake = generator(z)`` нужны обоим игрокам. На шаге
# дискриминатора мы подаём ему ``fake.detach()`` — тот же тензор, но отрезанный от графа
# генератора. Проверим на одном батче, что было бы без этого.

z = torch.randn(batch_size, latent_dim, device=device)
fake = generator(z)
zeros = torch.zeros(batch_size, 1, device=device)
ones = torch.ones(batch_size, 1, device=device)

# С detach: обратный проход потерь дискриминатора до генератора не доходит.
criterion(discriminator(fake.detach()), zeros).backward()
detach_keeps_generator_clean = all(p.grad is None for p in generator.parameters())
discriminator.zero_grad()

# Без detach: те же потери дают градиенты и параметрам генератора…
d_loss_without_detach = criterion(discriminator(fake), zeros)
grad_from_d_loss = torch.autograd.grad(
    d_loss_without_detach, list(generator.parameters()), retain_graph=True
)
# …а вот градиент, которого генератор хочет на самом деле:
g_loss_example = criterion(discriminator(fake), ones)
grad_from_g_loss = torch.autograd.grad(g_loss_example, list(generator.parameters()))
detach_cosine = F.cosine_similarity(
    torch.cat([g.flatten() for g in grad_from_d_loss]),
    torch.cat([g.flatten() for g in grad_from_g_loss]),
    dim=0,
).item()
print(f"С detach градиентов у генератора нет: {detach_keeps_generator_clean}")
print(f"Без detach: косинус между градиентами G от потерь D и от потерь G = {detach_cosine:.3f}")

# %%
# Косинус близок к −1: потери дискриминатора тянут генератор в сторону, прямо
# противоположную его цели, — «рисуй так, чтобы тебя было легче поймать». Если забыть
# ``detach``, эти градиенты лягут в ``.grad`` генератора, а если вдобавок забыть
# ``zero_grad`` генератора, то оптимизатор сложит их с правильными. Даже когда всё
# обнулено вовремя, обратный проход через генератор на шаге D — лишняя работа.
#
# На шаге генератора всё наоборот: ``detach`` нельзя. Градиент потерь G идёт через
# дискриминатор в генератор — другого пути у него нет. По дороге он оседает и в ``.grad``
# дискриминатора, но это не страшно: следующий шаг D начнётся с ``zero_grad``, а шаг
# оптимизатора генератора двигает только параметры генератора.

# %%
# Поочерёдное обучение
# --------------------
# Один шаг игры — два шага оптимизаторов: сначала дискриминатор (на настоящих
# картинках и ``fake.detach()``), потом генератор (на тех же подделках, без detach).
# Функция принимает настройки, потому что ниже она понадобится ещё для двух опытов:
# ``d_steps`` — сколько шагов делает дискриминатор на один шаг генератора.


def train_gan(
    generator,
    discriminator,
    num_steps,
    lr_g,
    lr_d,
    d_steps=1,
    saturating=False,
    watch=None,
    name="GAN",
):
    """Обучает пару; возвращает историю: потери и средние D(x), D(G(z)) на каждом шаге.

    ``saturating=True`` — исходная форма потерь G из статьи 2014 года (для опыта ниже);
    ``watch(step)``, если задана, вызывается каждые 10 шагов — чтобы следить за картинками.
    """
    g_optimizer = torch.optim.Adam(generator.parameters(), lr=lr_g, betas=betas)
    d_optimizer = torch.optim.Adam(discriminator.parameters(), lr=lr_d, betas=betas)
    history = {"d_loss": [], "g_loss": [], "d_real": [], "d_fake": [], "g_grad": []}
    batches = iter(())
    generator.train()
    discriminator.train()
    for step in tqdm(range(num_steps), desc=name):
        # 1. Дискриминатор: настоящие → 1, подделки → 0. Подделки отрезаны detach.
        for _ in range(d_steps):
            real = next(batches, None)
            if real is None:  # эпоха кончилась — начинаем новую
                batches = (images.to(device) for images, _ in train_loader)
                real = next(batches)
            fake = generator(torch.randn(batch_size, latent_dim, device=device))
            real_logits = discriminator(real)
            fake_logits = discriminator(fake.detach())
            d_loss = criterion(real_logits, ones) + criterion(fake_logits, zeros)
            d_optimizer.zero_grad()
            d_loss.backward()
            d_optimizer.step()
        # 2. Генератор: его подделки → 1 («настоящие»), градиент идёт через D.
        if saturating:  # минимизировать ln(1 − D(G(z))), то есть минус потери D на подделках
            g_loss = -criterion(discriminator(fake), zeros)
        else:
            g_loss = criterion(discriminator(fake), ones)
        g_optimizer.zero_grad()
        g_loss.backward()
        g_optimizer.step()

        history["d_loss"].append(d_loss.item())
        history["g_loss"].append(g_loss.item())
        history["g_grad"].append(
            torch.stack([p.grad.norm() for p in generator.parameters()]).norm().item()
        )
        history["d_real"].append(torch.sigmoid(real_logits).mean().item())
        history["d_fake"].append(torch.sigmoid(fake_logits).mean().item())
        if watch is not None and (step + 1) % 10 == 0:
            watch(step + 1)
    return history


history = train_gan(generator, discriminator, num_steps, lr_g, lr_d)
gan_quality = measure(sample(generator))
confident_share = gan_quality["confident_share"]
classes_present = gan_quality["classes"]
describe("Генератор после обучения", gan_quality)
print(
    f"Шагов: {num_steps}, в конце D(x) ≈ {history['d_real'][-1]:.2f}, "
    f"D(G(z)) ≈ {history['d_fake'][-1]:.2f}"
)

# %%
# В конце D(x) и D(G(z)) не уходят к 1 и 0: дискриминатор не может уверенно отличить
# подделку, а генератор не может его окончательно обмануть. Это и есть признак здоровой
# игры; потери GAN, в отличие от обычных, не обязаны падать.

fig, (ax_real, ax_fake) = plt.subplots(1, 2, figsize=(10, 5))
ax_real.imshow(show(X_test), cmap="gray")
ax_real.set_title("Настоящие картинки")
ax_fake.imshow(show(sample(generator)), cmap="gray")
ax_fake.set_title(f"Генератор после {num_steps} шагов")
for ax in (ax_real, ax_fake):
    ax.axis("off")
save_figure(fig, "gan_samples")

# %%
# Сколько каких цифр рисует генератор. Настоящие картинки распределены почти поровну;
# у генератора доли обычно неравны: одни цифры ему даются легче других. Это мягкая
# форма схлопывания мод, о котором ниже.

fig, ax = plt.subplots(figsize=(9, 3.5))
positions = range(num_classes)
ax.bar([p - 0.2 for p in positions], real_quality["counts"], width=0.4, label="настоящие")
ax.bar([p + 0.2 for p in positions], gan_quality["counts"], width=0.4, label="генератор")
ax.set_xticks(positions, info.classes)
ax.set_ylabel(f"уверенных из {num_samples}")
ax.set_title("Что видит классификатор")
ax.legend()
save_figure(fig, "gan_classes")

# %%
# Провал 1: дискриминатор выигрывает
# ----------------------------------
# Начнём заново с тех же начальных весов, но дадим дискриминатору фору: 5 шагов на
# каждый шаг генератора и вчетверо большую скорость обучения. А генератор будем учить
# исходной, «насыщающейся» формой потерь ln(1 − D(G(z))) из статьи 2014 года.

torch.manual_seed(1)
strong_generator, strong_discriminator = make_generator(), make_discriminator()
strong_generator.load_state_dict(initial_state[0])
strong_discriminator.load_state_dict(initial_state[1])
strong_history = train_gan(
    strong_generator,
    strong_discriminator,
    failure_steps,
    lr_g,
    4 * lr_d,
    d_steps=5,
    saturating=True,
    name="Сильный D",
)
strong_quality = measure(sample(strong_generator))
describe("Генератор против сильного D", strong_quality)


def last_mean(values, count=10):
    return sum(values[-count:]) / count


# Сравниваем с теми же первыми шагами основного запуска, где силы были равны.
balanced_d_fake = last_mean(history["d_fake"][:failure_steps])
strong_d_fake = last_mean(strong_history["d_fake"])
balanced_g_grad = last_mean(history["g_grad"][:failure_steps])
strong_g_grad = last_mean(strong_history["g_grad"])
print(
    f"Шаги {failure_steps - 9}–{failure_steps}: D(G(z)) при равных силах {balanced_d_fake:.3f}, "
    f"у сильного D {strong_d_fake:.5f}"
)
print(
    f"Норма градиента генератора: при равных силах {balanced_g_grad:.2f}, "
    f"у сильного D {strong_g_grad:.2e}"
)

# %%
# Дискриминатор выиграл: подделкам он даёт вероятность «настоящая» в сотые, а то и
# тысячные доли процента, а градиент генератора в сотни раз (в полном режиме — в тысячи)
# меньше, чем в здоровой игре. Картинки генератора так и остались серым шумом —
# расстояние до ближайшей настоящей картинки почти как у необученного генератора.
#
# Виновата форма потерь. Производная ln(1 − σ(l)) по логиту l равна −σ(l), а когда
# дискриминатор уверен, что перед ним подделка, σ(l) ≈ 0 — градиент исчезает. У
# ненасыщающейся формы −ln σ(l) производная −(1 − σ(l)) ≈ −1: сигнал остаётся. Сравним
# обе формы на одних и тех же подделках этого генератора против этого дискриминатора.


def generator_grad_norm(loss):
    strong_generator.zero_grad()
    loss.backward()
    return torch.stack([p.grad.norm() for p in strong_generator.parameters()]).norm().item()


z = torch.randn(batch_size, latent_dim, device=device)
saturating_grad = generator_grad_norm(-criterion(strong_discriminator(strong_generator(z)), zeros))
non_saturating_grad = generator_grad_norm(
    criterion(strong_discriminator(strong_generator(z)), ones)
)
print(
    f"Норма градиента генератора при потерях ln(1 − D(G(z))): {saturating_grad:.2e}, "
    f"при −ln D(G(z)): {non_saturating_grad:.2e}"
)

# %%
# Поэтому генератор учат ненасыщающейся формой — как в нашем основном цикле. Но и она
# не спасёт, если дискриминатор силён настолько, что для него все подделки одинаково
# плохи: градиент есть, а подсказать, какая подделка «теплее», D уже не может. Отсюда
# правило: силы игроков держат близкими — скорости обучения, число шагов, размер сетей.

# %%
# Провал 2: схлопывание мод
# -------------------------
# Мода — «горб» распределения данных; у цифр их не меньше десяти. Генератору выгодно
# рисовать то, что дискриминатор сейчас считает самым настоящим. Пока дискриминатор
# поспевает, он тут же учится отвергать такие картинки, и генератору приходится
# покрывать все цифры. Если же дискриминатор отстаёт, генератор сгоняет все z туда,
# где D пока говорит «настоящая», — к одной точке. Возьмём обученную пару и продолжим
# игру ещё ``collapse_steps`` шагов, сделав генератор в ``collapse_speedup`` раз быстрее
# (вдесятеро; в быстром режиме шагов вдвое меньше, и ускорение вдвое больше), а
# дискриминатор в 50 раз медленнее. Каждые 10 шагов смотрим, что рисует генератор.

torch.manual_seed(2)
collapse_generator = copy.deepcopy(generator)
collapse_discriminator = copy.deepcopy(discriminator)
collapse_track = []  # (шаг, эффективное число классов, разнообразие)


def watch_collapse(step):
    quality = measure(sample(collapse_generator, fixed_z[:200]))  # 200 картинок: быстрее
    collapse_track.append((step, quality["effective_classes"], quality["diversity"]))


collapse_history = train_gan(
    collapse_generator,
    collapse_discriminator,
    collapse_steps,
    collapse_speedup * lr_g,
    lr_d / 50,
    watch=watch_collapse,
    name="Медленный D",
)
collapse_quality = measure(sample(collapse_generator))
describe("После схлопывания", collapse_quality)
for step, effective, diversity in collapse_track[4::5]:
    print(f"  шаг {step}: классов эффективно {effective:.1f}, разнообразие {diversity:.2f}")

# %%
# Шаг за шагом эффективное число классов падает в несколько раз — с восьми-девяти до
# одного-трёх: что бы ни было на входе z, классификатор видит на выходе одну-две «цифры».
# Падает и разнообразие: картинки становятся похожи друг на друга. Посмотрите и на сами
# картинки: часто это уже не цифры, а узор, который отстающий дискриминатор пока
# пропускает (D(G(z)) у него близко к 1), — расстояние до ближайшей настоящей картинки
# растёт. А классификатор может уверенно назвать такой узор цифрой: вот почему мерить
# одним классификатором опасно и рядом нужны числа, которые смотрят на сами пиксели.

fig, axes = plt.subplots(1, 3, figsize=(16, 6.5))
panels = (
    (sample(generator), "Обученный генератор", gan_quality),
    (sample(strong_generator), "Дискриминатор выиграл", strong_quality),
    (sample(collapse_generator), "Схлопывание мод", collapse_quality),
)
for ax, (images, title, quality) in zip(axes, panels, strict=True):
    ax.imshow(show(images), cmap="gray")
    ax.set_title(
        f"{title}\nуверенных {quality['confident_share']:.0%}, "
        f"классов эффективно {quality['effective_classes']:.1f},\n"
        f"разнообразие {quality['diversity']:.1f}, "
        f"до настоящих {quality['nearest_real']:.0f}"
    )
    ax.axis("off")
save_figure(fig, "gan_failures")

# %%
# Кривые игры: слева потери, справа средние D(x) и D(G(z)) — при равных силах и у
# сильного дискриминатора.


def smooth(values, width=20):
    values = torch.tensor(values)
    width = min(width, len(values))
    return F.avg_pool1d(values.view(1, 1, -1), width, stride=1).flatten().tolist()


fig, (ax_loss, ax_prob) = plt.subplots(1, 2, figsize=(12, 4))
ax_loss.plot(smooth(history["d_loss"]), label="дискриминатор")
ax_loss.plot(smooth(history["g_loss"]), label="генератор")
ax_loss.set_xlabel("шаг")
ax_loss.set_ylabel("потери (скользящее среднее)")
ax_loss.set_title("Потери при равных силах")
ax_loss.legend()
ax_prob.plot(smooth(history["d_real"]), label="D(x), равные силы")
ax_prob.plot(smooth(history["d_fake"]), label="D(G(z)), равные силы")
ax_prob.plot(smooth(strong_history["d_fake"], 5), label="D(G(z)), сильный D")
ax_prob.set_xlabel("шаг")
ax_prob.set_ylabel("средняя вероятность «настоящая»")
ax_prob.set_ylim(0, 1)
ax_prob.set_title("Что думает дискриминатор")
ax_prob.legend()
save_figure(fig, "gan_training")

# %%
# Что дальше
# ----------
# Чтобы обучить дольше, увеличьте ``num_steps``: на 4000 цифрах доля уверенных
# картинок растёт ещё несколько тысяч шагов. Для других наборов (``--dataset
# fashion-mnist``) поднимите и ``train_limit``. Провалы из этого урока — главная
# беда GAN; против них придумали WGAN с градиентным штрафом, спектральную нормализацию
# весов дискриминатора и многое другое. А модель, которая учится спокойно и сама
# сообщает, насколько хорошо она описывает данные, — вариационный автокодировщик
# из урока 3.3.
