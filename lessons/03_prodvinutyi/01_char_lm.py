"""
Языковая модель на символах
===========================

Языковая модель отвечает на один вопрос: какой символ будет следующим? Она выдаёт не
один ответ, а распределение вероятностей по всем символам. Научив такую модель на
русском тексте, мы сможем и оценить её (сколько бит в среднем уходит на символ), и
заставить её писать свой текст — символ за символом, вытягивая каждый следующий из
предсказанного распределения.

В уроке: словарь символов и эмбеддинги; две простые модели-планки, посчитанные прямо по
частотам (униграммы и биграммы); LSTM, обученная с усечённым обратным распространением
во времени (truncated BPTT): скрытое состояние переходит от батча к батчу, а граф
обрывается ``detach``; перекрёстная энтропия в битах на символ; генерация с температурой
и отбором top-k и доля настоящих слов в сгенерированном тексте.

Запуск: ``kurs run 3.1`` (или ``kurs run char-lm``), быстрый режим — ``--quick``.
Текст выбирает ``--text``: без него — афоризмы ``fortunes-ru``, если пакет установлен
(``sudo apt install fortunes-ru``), иначе тексты самого курса; ``--text course`` —
всегда тексты курса, ``--text fortunes`` — всегда афоризмы, ``--text ФАЙЛ`` — ваш файл
в UTF-8 (например, скачанный роман). Учить дольше — увеличьте ``num_steps`` ниже.
"""

# %%
# Подготовка
# ----------

import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn
from tqdm import trange

from kurs.corpus import lesson_corpus, real_word_share, words
from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Гиперпараметры
val_fraction = 0.1  # валидационная часть — последние 10 % текста…
max_val_chars = 20_000  # …но не больше 20 000 символов, чтобы проверка шла быстро
alpha = 0.1  # сглаживание счётчиков в моделях-планках
embedding_dim = 64
hidden_size = 256
batch_size = 32  # столько параллельных «потоков» текста в батче
seq_len = 64  # столько символов модель проходит за шаг, прежде чем граф обрывается
lr = 1e-2
max_norm = 1.0  # обрезка градиента, как в уроке 2.4
num_steps = 80 if opts.quick else 400  # учить дольше — увеличьте
eval_every = num_steps // 4

# %%
# Текст и словарь
# ---------------
# Модель видит не буквы, а числа. Словарь — это все различные символы текста,
# отсортированные, чтобы номера не зависели от запуска; ``stoi`` переводит символ в
# номер, ``itos`` — обратно. Словарь строим по всему тексту: символ, который встретится
# только в валидационной части, тоже должен иметь номер.

corpus = lesson_corpus(opts)
text = corpus.text
print(f"Текст: {corpus.description}; символов: {len(text)}")
print(f"Начало: {text[:120]!r}")

chars = sorted(set(text))
vocab_size = len(chars)
stoi = {ch: i for i, ch in enumerate(chars)}
itos = dict(enumerate(chars))


def encode(s):
    return [stoi[ch] for ch in s]


def decode(ids):
    return "".join(itos[i] for i in ids)


data = torch.tensor(encode(text), dtype=torch.long)
print(f"Символов в словаре: {vocab_size}; {text[:6]!r} → {encode(text[:6])}")

# %%
# Валидационная часть — конец текста. Резать по позиции, а не перемешивать символы,
# важно: соседние символы связаны, и модель, видевшая при обучении соседей проверочного
# символа, показала бы нечестно хороший результат. Все числа урока — на этой части.

val_size = min(int(len(data) * val_fraction), max_val_chars)
train_data, val_data = data[:-val_size], data[-val_size:]
train_text = text[:-val_size]
print(f"Символов для обучения: {len(train_data)}, для проверки: {len(val_data)}")

# %%
# Биты на символ
# --------------
# Модель выдаёт вероятность p правильного следующего символа. Функция потерь —
# перекрёстная энтропия −log p, усреднённая по символам. PyTorch берёт натуральный
# логарифм (наты); поделив на ln 2, получим биты: −log₂ p = −ln p / ln 2. «Бит на
# символ» — столько бит в среднем ушло бы на каждый символ, если бы мы сжимали текст
# с помощью модели. Модель, которая ничего не знает и считает все символы
# равновероятными, тратит log₂(размер словаря) бит.
#
# Две планки, посчитанные без всякого обучения:
#
# * униграммы: p(символ) — доля символа в обучающем тексте;
# * биграммы: p(символ | предыдущий) — доля пар «предыдущий, следующий» среди пар,
#   начинающихся с того же символа.
#
# К каждому счётчику прибавляем ``alpha``: пара, которой не было в обучающем тексте,
# иначе получила бы вероятность 0 и стоила бы бесконечно много бит. Все три оценки
# предсказывают одни и те же символы: ``val_data[1:]``.

uniform_bpc = math.log2(vocab_size)
unigram_counts = torch.bincount(train_data, minlength=vocab_size).double() + alpha
unigram_probs = unigram_counts / unigram_counts.sum()
unigram_bpc = -unigram_probs[val_data[1:]].log2().mean().item()

pair_ids = train_data[:-1] * vocab_size + train_data[1:]  # пара (a, b) → число a·V + b
bigram_counts = torch.bincount(pair_ids, minlength=vocab_size**2).view(vocab_size, vocab_size)
bigram_counts = bigram_counts.double() + alpha
bigram_probs = bigram_counts / bigram_counts.sum(dim=1, keepdim=True)  # строка — предыдущий
bigram_bpc = -bigram_probs[val_data[:-1], val_data[1:]].log2().mean().item()

print(f"Равновероятные символы: {uniform_bpc:.3f} бит на символ")
print(f"Униграммы:              {unigram_bpc:.3f}")
print(f"Биграммы:               {bigram_bpc:.3f}")

# %%
# Эмбеддинг
# ---------
# Номер символа — просто метка: символ 40 не «больше» символа 39. Поэтому модель
# начинается со слоя ``nn.Embedding(V, d)`` — таблицы из V строк по d чисел, по строке
# на символ. Он равносилен умножению вектора one-hot на матрицу весов, только не
# тратит время на умножения нулей: строка просто выбирается по номеру. Числа в строках —
# обычные параметры, которые обучаются вместе со всей сетью.

embedding = nn.Embedding(vocab_size, 8)
some_ids = data[:4]  # первые четыре символа текста
by_lookup = embedding(some_ids)
by_one_hot = F.one_hot(some_ids, vocab_size).float() @ embedding.weight
embedding_matches_one_hot = torch.allclose(by_lookup, by_one_hot)
print(f"Эмбеддинги {decode(some_ids.tolist())!r}: форма {tuple(by_lookup.shape)}")
print(f"Совпадают с one-hot @ W: {embedding_matches_one_hot}")

# %%
# Модель
# ------
# Эмбеддинг → LSTM (урок 2.4) → линейный слой, который из скрытого состояния делает
# логиты следующего символа, по одному на символ словаря. ``forward`` принимает и
# возвращает состояние LSTM (пару h, c): так модель сможет продолжить чтение с того
# места, где остановилась.


class CharLSTM(nn.Module):
    def __init__(self, vocab_size, embedding_dim, hidden_size):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x, state=None):
        output, state = self.lstm(self.embedding(x), state)  # (B, T, hidden_size)
        return self.head(output), state  # логиты (B, T, V) и новое состояние


model = CharLSTM(vocab_size, embedding_dim, hidden_size).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=lr)
num_parameters = sum(p.numel() for p in model.parameters())
print(model)
print(f"Параметров: {num_parameters}")

# %%
# Батчи для усечённого BPTT
# -------------------------
# Обучающий текст режем на ``batch_size`` равных кусков — «потоков» — и кладём их
# строками в матрицу. Шаг обучения берёт из каждого потока следующие ``seq_len``
# символов (вход ``X``) и те же символы со сдвигом на один (цели ``y``). Батч номер
# k + 1 продолжает каждый поток ровно там, где кончился батч k. Поэтому состояние LSTM
# после батча k — правильное начальное состояние для батча k + 1, и модель помнит
# больше, чем ``seq_len`` символов.

stream_length = len(train_data) // batch_size
streams = train_data[: stream_length * batch_size].view(batch_size, stream_length)
print(f"Потоков: {batch_size}, длина каждого: {stream_length}")


def get_batch(position):
    X = streams[:, position : position + seq_len]
    y = streams[:, position + 1 : position + seq_len + 1]
    return X.to(device), y.to(device)


# %%
# Зачем ``detach``
# ----------------
# Состояние после батча k — результат вычислений, и автоград помнит весь путь к нему.
# Если передать его в батч k + 1 как есть, ``backward`` второго батча пойдёт дальше —
# в граф первого, который первый ``backward`` уже освободил, — получится ошибка.
# ``detach`` оставляет значения состояния, но обрывает граф: градиент течёт назад не
# дальше начала текущего батча. Это и есть «усечённое» обратное распространение во
# времени. Покажем ошибку на двух батчах.

state = None
X_batch, y_batch = get_batch(0)
logits, state = model(X_batch, state)
criterion(logits.reshape(-1, vocab_size), y_batch.reshape(-1)).backward()
X_batch, y_batch = get_batch(seq_len)
logits, state = model(X_batch, state)  # состояние не отцеплено
try:
    criterion(logits.reshape(-1, vocab_size), y_batch.reshape(-1)).backward()
    error_without_detach = ""
except RuntimeError as exc:
    error_without_detach = str(exc)
print(f"Без detach: {error_without_detach.splitlines()[0][:90]}…")
optimizer.zero_grad()  # градиенты опыта в обучение не попадут

# %%
# Проверка на валидационной части
# -------------------------------
# Валидационный текст режем на ``eval_pieces`` длинных кусков и прогоняем их одним
# батчем: внутри куска состояние переходит от символа к символу, как при обучении.
# Последний кусок короче; недостающие цели заполняем значением −100, которое
# ``cross_entropy`` пропускает (``ignore_index``). Тот же приём с короткими кусками
# по ``seq_len`` символов покажет, сколько даёт память за пределами одного батча.

eval_pieces = 16


@torch.no_grad()
def val_bits_per_char(model, piece_length):
    model.eval()
    X, y = val_data[:-1], val_data[1:]
    num_pieces = -(-len(X) // piece_length)  # деление с округлением вверх
    pad = num_pieces * piece_length - len(X)
    X = F.pad(X, (0, pad)).view(num_pieces, piece_length).to(device)
    y = F.pad(y, (0, pad), value=-100).view(num_pieces, piece_length).to(device)
    logits, _ = model(X)
    loss = F.cross_entropy(logits.reshape(-1, vocab_size), y.reshape(-1), ignore_index=-100)
    model.train()
    return loss.item() / math.log(2)


long_piece = -(-(len(val_data) - 1) // eval_pieces)
print(f"До обучения: {val_bits_per_char(model, long_piece):.3f} бит на символ")

# %%
# Обучение
# --------
# Цикл обычный, отличие одно: состояние ``state`` живёт между шагами, перед каждым
# шагом его отцепляем. Когда потоки кончаются, начинаем их сначала с нулевым состоянием.
# Функция потерь — в натах; для графика переводим её в биты.

train_bits, val_curve = [], []
state, position = None, 0
model.train()
progress = trange(1, num_steps + 1, desc="LSTM")
for step in progress:
    if position + seq_len + 1 > stream_length:  # потоки кончились — новая эпоха
        state, position = None, 0
    X_batch, y_batch = get_batch(position)
    position += seq_len
    if state is not None:
        state = tuple(s.detach() for s in state)  # обрываем граф, значения оставляем
    logits, state = model(X_batch, state)
    loss = criterion(logits.reshape(-1, vocab_size), y_batch.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    optimizer.step()
    train_bits.append(loss.item() / math.log(2))
    if step % eval_every == 0 or step == num_steps:
        val_curve.append((step, val_bits_per_char(model, long_piece)))
        progress.set_postfix(val_bpc=f"{val_curve[-1][1]:.3f}")

val_bpc = val_curve[-1][1]
val_bpc_reset = val_bits_per_char(model, seq_len)
bits_below_bigram = bigram_bpc - val_bpc
print(f"LSTM: {val_bpc:.3f} бит на символ, на {bits_below_bigram:.2f} бита лучше биграмм")
print(
    f"Та же LSTM, если обнулять состояние перед каждым куском длиной {seq_len}: {val_bpc_reset:.3f}"
)

# %%
# Итог на валидационной части. Цель урока — обогнать биграммы хотя бы на 0,5 бита на
# символ. Разница между двумя последними строками — выигрыш от состояния, которое
# переходит из батча в батч.

print(f"{'модель':<34} бит на символ")
for name, value in (
    ("все символы равновероятны", uniform_bpc),
    ("униграммы", unigram_bpc),
    ("биграммы", bigram_bpc),
    (f"LSTM, память ≤ {seq_len} символов", val_bpc_reset),
    ("LSTM", val_bpc),
):
    print(f"{name:<34} {value:.3f}")

# %%
# Генерация: температура и top-k
# ------------------------------
# Чтобы писать текст, модель читает затравку, а дальше выбирает следующий символ
# случайно по своему распределению, сама же его читает, выбирает ещё один и так далее. Две ручки:
#
# * температура T: логиты делим на T до softmax. При T < 1 распределение острее —
#   модель выбирает самые вероятные символы, текст правильнее, но однообразнее;
#   при T > 1 — площе, текст смелее и безграмотнее; при T → 0 остаётся argmax;
# * top-k: оставляем k самых вероятных символов, остальным ставим логит −∞.
#
# Генератор случайных чисел свой и с зерном — тогда образец повторяется от запуска
# к запуску. Случайный выбор делаем на CPU: так образцы одинаковы на любом устройстве.


def next_char_probs(logits, temperature=1.0, top_k=None):
    logits = logits / temperature
    if top_k is not None:
        kth_best = torch.topk(logits, top_k).values[..., -1:]
        logits = logits.masked_fill(logits < kth_best, float("-inf"))
    return F.softmax(logits, dim=-1)


@torch.no_grad()
def generate(model, prompt, length, temperature=1.0, top_k=None, seed=0):
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    logits, state = model(torch.tensor([encode(prompt)], device=device))
    new_ids = []
    for _ in range(length):
        probs = next_char_probs(logits[0, -1], temperature, top_k).cpu()
        next_id = torch.multinomial(probs, 1, generator=generator)
        new_ids.append(next_id.item())
        logits, state = model(next_id.view(1, 1).to(device), state)
    return prompt + decode(new_ids)


# %%
# Модель нигде не видела правил русского языка. Долю «настоящих» слов (кусков между
# пробелами, состоящих только из букв) в образце ищем среди слов обучающего текста.

prompt = "Жизнь" if set("Жизнь") <= set(chars) else text[0]
sample_length = 300
known_words = set(words(train_text))
samples, word_shares = {}, {}
for temperature, top_k in ((0.5, None), (1.0, None), (1.0, 5), (1.5, None)):
    setting = f"T={temperature}" + (f", top-k={top_k}" if top_k else "")
    samples[setting] = generate(model, prompt, sample_length, temperature, top_k)
    word_shares[setting] = real_word_share(samples[setting], known_words)
    print(f"--- {setting}: настоящих слов {word_shares[setting]:.0%}")
    print(samples[setting])
real_word_share_default = word_shares["T=0.5"]

# %%
# Рисунок
# -------
# Слева — функция потерь на обучении и на валидационной части в битах на символ
# рядом с планками; справа — доля настоящих слов при разных настройках генерации.

fig, (ax_loss, ax_words) = plt.subplots(1, 2, figsize=(12, 4))
ax_loss.plot(range(1, num_steps + 1), train_bits, alpha=0.5, label="обучение (батч)")
ax_loss.plot(*zip(*val_curve, strict=True), marker="o", label="валидационная часть")
ax_loss.axhline(unigram_bpc, color="gray", linestyle=":", label="униграммы")
ax_loss.axhline(bigram_bpc, color="gray", linestyle="--", label="биграммы")
ax_loss.set_xlabel("шаг")
ax_loss.set_ylabel("бит на символ")
ax_loss.set_title("Обучение LSTM")
ax_loss.legend()
ax_words.bar(list(word_shares), list(word_shares.values()))
ax_words.set_ylim(0, 1)
ax_words.set_ylabel("доля настоящих слов")
ax_words.set_title("Генерация")
save_figure(fig, "char_lm")

# %%
# Что дальше
# ----------
# LSTM читает текст по символу и всё, что помнит, держит в одном векторе состояния.
# В уроке 3.2 модель будет смотреть сразу на все предыдущие символы с помощью
# механизма внимания — так устроены GPT и другие большие языковые модели.
