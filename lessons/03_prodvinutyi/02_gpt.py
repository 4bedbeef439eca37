"""
Внимание и маленький GPT
========================

LSTM из урока 3.1 читает текст символ за символом и всё прочитанное держит в одном
векторе состояния. Механизм внимания устроен иначе: каждая позиция прямо смотрит на все
предыдущие и сама решает, какие из них ей важны. На внимании построены трансформеры,
а GPT — это трансформер-декодер: стопка блоков «внимание + полносвязный слой», которая
предсказывает следующий символ.

В уроке: внимание со скалярным произведением, написанное руками и сверенное с
``F.scaled_dot_product_attention``; причинная маска, которая не даёт заглянуть в будущее;
многоголовое внимание против ``nn.MultiheadAttention``; позиционные эмбеддинги; маленький
GPT на том же тексте, что и в уроке 3.1, и сравнение с LSTM при равном времени обучения;
генерация с кэшем ключей и значений (KV-кэш), которая пишет тот же текст, что и без него.

Запуск: ``kurs run 3.2`` (или ``kurs run gpt``), быстрый режим — ``--quick``. Текст
выбирает ``--text`` так же, как в уроке 3.1 (``course``, ``fortunes`` или ``ФАЙЛ``).
Учить дольше — увеличьте ``num_steps`` ниже; LSTM для сравнения получит столько же времени.
"""

# %%
# Подготовка
# ----------

import math
import time

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

# Гиперпараметры GPT
n_embd = 64  # длина вектора каждой позиции
n_head = 4  # голов внимания; каждая работает с вектором длины n_embd / n_head = 16
n_layer = 1  # блоков трансформера; для короткого прогона на CPU хватит одного
block_size = 32  # сколько символов модель видит за раз (её «контекст»)
batch_size = 32
lr = 1e-2
max_norm = 1.0
num_steps = 300 if opts.quick else 1500  # учить дольше — увеличьте (и n_layer тоже)
eval_every = num_steps // 5
# LSTM урока 3.1 — с теми же настройками, что там
lstm_embedding_dim, lstm_hidden_size, lstm_seq_len, lstm_lr = 64, 256, 64, 1e-2

# %%
# Текст, словарь и планка
# -----------------------
# Всё как в уроке 3.1: тот же текст, тот же словарь, та же валидационная часть в конце
# текста и та же планка — биграммы со сглаживанием 0,1.

corpus = lesson_corpus(opts)
text = corpus.text
chars = sorted(set(text))
vocab_size = len(chars)
stoi = {ch: i for i, ch in enumerate(chars)}
itos = dict(enumerate(chars))


def encode(s):
    return [stoi[ch] for ch in s]


def decode(ids):
    return "".join(itos[i] for i in ids)


data = torch.tensor(encode(text), dtype=torch.long)
val_size = min(int(len(data) * 0.1), 20_000)
train_data, val_data = data[:-val_size], data[-val_size:]
train_text = text[:-val_size]

pair_ids = train_data[:-1] * vocab_size + train_data[1:]
bigram_counts = torch.bincount(pair_ids, minlength=vocab_size**2).view(vocab_size, vocab_size)
bigram_counts = bigram_counts.double() + 0.1
bigram_probs = bigram_counts / bigram_counts.sum(dim=1, keepdim=True)
bigram_bpc = -bigram_probs[val_data[:-1], val_data[1:]].log2().mean().item()
print(f"Текст: {corpus.description}; символов: {len(text)}, в словаре: {vocab_size}")
print(f"Биграммы: {bigram_bpc:.3f} бит на символ")

# %%
# Внимание руками
# ---------------
# Каждая позиция выпускает три вектора: запрос q («что я ищу»), ключ k («что у меня
# есть») и значение v («что я отдам»). Позиция i сравнивает свой запрос с ключами всех
# позиций j: оценка sᵢⱼ = qᵢ·kⱼ / √d, где d — длина векторов. Softmax по j превращает
# оценки в веса, которые в сумме дают 1, а ответ позиции — взвешенная сумма значений:
# yᵢ = Σⱼ softmax(sᵢ)ⱼ · vⱼ. Деление на √d держит оценки в разумных пределах: у
# случайных векторов длины d скалярное произведение растёт как √d, и без деления при
# большом d softmax стал бы почти one-hot, а его градиенты — почти нулевыми.
#
# В матричной записи всё это — две матрицы-произведения: softmax(Q Kᵀ / √d) V. В PyTorch
# есть готовая функция ``F.scaled_dot_product_attention``; сверим с ней нашу.


def attention(q, k, v, mask=None):
    """q, k, v: (..., T, d); mask: (T, T), True — «можно смотреть»."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (..., T, T)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))  # exp(−∞) = 0 в softmax
    weights = F.softmax(scores, dim=-1)
    return weights @ v


q, k, v = torch.randn(3, 2, 4, 6, 16).unbind(0)  # (батч, головы, позиции, d) каждый
attention_error = (attention(q, k, v) - F.scaled_dot_product_attention(q, k, v)).abs().max()
print(f"Наше внимание против scaled_dot_product_attention: {attention_error:.1e}")

# %%
# Зачем √d, видно на векторах длины 512: самый большой вес внимания без деления и с ним.

q_big, k_big = torch.randn(2, 16, 512).unbind(0)
peak_unscaled = F.softmax(q_big @ k_big.T, dim=-1).max(dim=-1).values.mean().item()
peak_scaled = F.softmax(q_big @ k_big.T / math.sqrt(512), dim=-1).max(dim=-1).values.mean().item()
print(
    f"Средний наибольший вес из 16: без деления {peak_unscaled:.2f}, с делением {peak_scaled:.2f}"
)

# %%
# Причинная маска
# ---------------
# Языковая модель учится предсказывать символ по предыдущим. Если позиция i при обучении
# увидит символ i + 1, задача станет нечестной: модель научится списывать ответ и ничего
# не сможет, когда будущего ещё нет. Маска — нижнетреугольная матрица: позиция i видит
# позиции 0…i. Запретные оценки получают −∞ до softmax, и их веса становятся ровно нулём.

causal_mask = torch.ones(6, 6, dtype=torch.bool).tril()
print(causal_mask.int())
causal_output = attention(q, k, v, causal_mask)
causal_error = (causal_output - F.scaled_dot_product_attention(q, k, v, is_causal=True)).abs()
causal_error = causal_error.max()
print(f"С маской против is_causal=True: {causal_error:.1e}")

# %%
# Проверим, что маска работает: поменяем ключ и значение позиции 4. С маской ответы
# позиций 0–3 не изменятся ни на бит, без маски — изменятся.

k_changed, v_changed = k.clone(), v.clone()
k_changed[..., 4, :] += 1.0
v_changed[..., 4, :] += 1.0
masked_leak = (attention(q, k_changed, v_changed, causal_mask) - causal_output)[..., :4, :]
unmasked_leak = (attention(q, k_changed, v_changed) - attention(q, k, v))[..., :4, :]
masked_leak, unmasked_leak = masked_leak.abs().max().item(), unmasked_leak.abs().max().item()
print(f"Изменение прошлых ответов: с маской {masked_leak}, без маски {unmasked_leak:.3f}")

# %%
# Несколько голов
# ---------------
# Одна голова внимания усредняет значения по одному набору весов. Голов делают несколько:
# вектор длины ``n_embd`` режут на ``n_head`` кусков, и каждая голова считает своё
# внимание на своём куске — одна может следить за предыдущей буквой, другая за началом
# слова. Ответы голов склеивают и пропускают через линейный слой ``proj``. Запросы,
# ключи и значения всех голов даёт один слой ``qkv`` — одно умножение матриц вместо трёх.
#
# В модели возьмём уже сверенную ``F.scaled_dot_product_attention``: она делает то же,
# что наша функция, но быстрее. Аргумент ``cache`` понадобится в конце урока.


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        self.n_head = n_head
        self.qkv = nn.Linear(n_embd, 3 * n_embd)
        self.proj = nn.Linear(n_embd, n_embd)

    def forward(self, x, cache=None):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=-1)
        # (B, T, C) → (B, головы, T, C / головы)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        if cache is not None:
            if "k" in cache:  # ключи и значения прошлых символов уже посчитаны
                k = torch.cat([cache["k"], k], dim=2)
                v = torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        # Один новый символ видит всё прошлое — маска нужна, только когда запросов больше.
        assert T == 1 or k.shape[2] == T, "с кэшем символы подаются по одному"
        y = F.scaled_dot_product_attention(q, k, v, is_causal=T > 1)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


# %%
# Сверим наш модуль с ``nn.MultiheadAttention`` из PyTorch. Веса у него лежат иначе, но
# смысл тот же: ``in_proj_weight`` — это наш ``qkv`` (запросы, ключи, значения подряд),
# ``out_proj`` — наш ``proj``. Скопируем веса и подадим один и тот же вход. Маска у
# ``nn.MultiheadAttention`` обратная: True там значит «смотреть нельзя».

our_mha = CausalSelfAttention(n_embd, n_head)
torch_mha = nn.MultiheadAttention(n_embd, n_head, batch_first=True)
with torch.no_grad():
    torch_mha.in_proj_weight.copy_(our_mha.qkv.weight)
    torch_mha.in_proj_bias.copy_(our_mha.qkv.bias)
    torch_mha.out_proj.weight.copy_(our_mha.proj.weight)
    torch_mha.out_proj.bias.copy_(our_mha.proj.bias)
x = torch.randn(2, 10, n_embd)
future = ~torch.ones(10, 10, dtype=torch.bool).tril()
with torch.no_grad():
    torch_output, _ = torch_mha(x, x, x, attn_mask=future, need_weights=False)
    mha_error = (our_mha(x) - torch_output).abs().max().item()
print(f"Наше многоголовое внимание против nn.MultiheadAttention: {mha_error:.1e}")

# %%
# Позиционные эмбеддинги
# ----------------------
# У внимания без маски есть неожиданное свойство: оно не знает порядка. Переставим
# позиции входа — ответы переставятся так же, но не изменятся: «кот» и «ток» для него
# одно и то же множество букв. (Причинная маска подсказывает порядок лишь отчасти.)
# Поэтому к эмбеддингу символа прибавляют эмбеддинг его позиции — ещё одну обучаемую
# таблицу ``nn.Embedding(block_size, n_embd)``, по строке на номер позиции 0…31.

permutation = torch.randperm(10)
with torch.no_grad():
    x_shuffled = x[:, permutation]
    shuffled_output, _ = torch_mha(x_shuffled, x_shuffled, x_shuffled, need_weights=False)
    plain_output, _ = torch_mha(x, x, x, need_weights=False)
permutation_error = (shuffled_output - plain_output[:, permutation]).abs().max().item()
print(
    f"Внимание без маски и позиций: перестановка входа лишь переставляет ответы "
    f"(разница {permutation_error:.1e})"
)

# %%
# Маленький GPT
# -------------
# Блок трансформера — два слоя, каждый со своим остаточным соединением (урок 2.3):
# внимание (позиции обмениваются сведениями) и полносвязная сеть (каждая позиция думает
# сама). Перед каждым из них — ``LayerNorm``, как в GPT-2. Модель — эмбеддинги символа
# и позиции, ``n_layer`` блоков, последний ``LayerNorm`` и линейный слой к логитам.


class Block(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        self.ln1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head)
        self.ln2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(
            nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd)
        )

    def forward(self, x, cache=None):
        x = x + self.attn(self.ln1(x), cache)
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size, n_embd, n_head, n_layer, block_size):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, n_embd)
        self.position_embedding = nn.Embedding(block_size, n_embd)
        self.blocks = nn.ModuleList(Block(n_embd, n_head) for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(n_embd)
        self.head = nn.Linear(n_embd, vocab_size)

    def forward(self, idx, caches=None):
        B, T = idx.shape
        past = caches[0]["k"].shape[2] if caches and "k" in caches[0] else 0
        positions = torch.arange(past, past + T, device=idx.device)  # номера позиций
        x = self.token_embedding(idx) + self.position_embedding(positions)
        for i, block in enumerate(self.blocks):
            x = block(x, None if caches is None else caches[i])
        return self.head(self.ln_f(x))  # логиты (B, T, V)


model = GPT(vocab_size, n_embd, n_head, n_layer, block_size).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
num_parameters = sum(p.numel() for p in model.parameters())
print(f"Параметров в GPT: {num_parameters}")

# %%
# Обучение
# --------
# Состояния между батчами у GPT нет, поэтому батч — это ``batch_size`` случайных отрезков
# текста длиной ``block_size``; цели — те же отрезки со сдвигом на символ. За один
# проход модель учится на всех 32 позициях сразу: позиция i предсказывает символ i + 1,
# видя символы 0…i, — это и обеспечивает маска.
#
# На валидационной части режем текст на отрезки по ``block_size`` символов (последний
# короче, его пустые цели −100 пропускаются, как в уроке 3.1). Первые символы отрезка
# видят мало прошлого: больше ``block_size`` символов модель не видит никогда.
#
# Время обучения — сумма времени шагов (батч, прямой проход, ``backward``, шаг
# оптимизатора), без проверок на валидационной части. ``loss.item()`` ждёт окончания
# вычислений, так что и на видеокарте время честное.


def get_batch():
    starts = torch.randint(len(train_data) - block_size, (batch_size,))
    X = torch.stack([train_data[s : s + block_size] for s in starts])
    y = torch.stack([train_data[s + 1 : s + block_size + 1] for s in starts])
    return X.to(device), y.to(device)


@torch.no_grad()
def val_bits_per_char(model, piece_length):
    model.eval()
    X, y = val_data[:-1], val_data[1:]
    num_pieces = -(-len(X) // piece_length)
    pad = num_pieces * piece_length - len(X)
    X = F.pad(X, (0, pad)).view(num_pieces, piece_length).to(device)
    y = F.pad(y, (0, pad), value=-100).view(num_pieces, piece_length).to(device)
    logits = model(X)
    logits = logits[0] if isinstance(logits, tuple) else logits  # LSTM отдаёт и состояние
    loss = F.cross_entropy(logits.reshape(-1, vocab_size), y.reshape(-1), ignore_index=-100)
    model.train()
    return loss.item() / math.log(2)


train_bits, gpt_curve = [], []
gpt_seconds = 0.0
model.train()
for step in trange(1, num_steps + 1, desc="GPT"):
    started = time.perf_counter()
    X_batch, y_batch = get_batch()
    logits = model(X_batch)
    loss = criterion(logits.reshape(-1, vocab_size), y_batch.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    optimizer.step()
    train_bits.append(loss.item() / math.log(2))
    gpt_seconds += time.perf_counter() - started
    if step % eval_every == 0 or step == num_steps:
        gpt_curve.append((gpt_seconds, val_bits_per_char(model, block_size)))

val_bpc = gpt_curve[-1][1]
bits_below_bigram = bigram_bpc - val_bpc
print(f"GPT: {val_bpc:.3f} бит на символ за {gpt_seconds:.1f} с обучения, ", end="")
print(f"на {bits_below_bigram:.2f} бита лучше биграмм")

# %%
# Цель урока — обогнать биграммы хотя бы на 0,5 бита на символ, как это сделала LSTM в
# уроке 3.1. В полном режиме GPT берёт эту планку с запасом. В быстром режиме шагов
# впятеро меньше, и запас скромнее, но не меньше 0,3 бита.

# %%
# Сравнение с LSTM при равном времени
# -----------------------------------
# Обучим LSTM урока 3.1 — ту же модель, тем же усечённым BPTT — ровно столько же
# секунд, сколько училась GPT: после каждого шага складываем его время и
# останавливаемся на первом шаге, который перешёл за ``gpt_seconds``. Обе модели
# учатся на одном устройстве, одна после другой. Каждую проверяем так, как ей
# удобнее: LSTM — длинными кусками с памятью, GPT — отрезками по ``block_size``.


class CharLSTM(nn.Module):
    def __init__(self, vocab_size, embedding_dim, hidden_size):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x, state=None):
        output, state = self.lstm(self.embedding(x), state)
        return self.head(output), state


lstm = CharLSTM(vocab_size, lstm_embedding_dim, lstm_hidden_size).to(device)
lstm_optimizer = torch.optim.Adam(lstm.parameters(), lr=lstm_lr)
stream_length = len(train_data) // batch_size
streams = train_data[: stream_length * batch_size].view(batch_size, stream_length)
lstm_long_piece = -(-(len(val_data) - 1) // 16)
lstm_seconds, lstm_step_seconds, lstm_curve = 0.0, [], []
next_eval = gpt_curve[0][0]
state, position = None, 0
lstm.train()
while lstm_seconds < gpt_seconds:
    started = time.perf_counter()
    if position + lstm_seq_len + 1 > stream_length:
        state, position = None, 0
    X_batch = streams[:, position : position + lstm_seq_len].to(device)
    y_batch = streams[:, position + 1 : position + lstm_seq_len + 1].to(device)
    position += lstm_seq_len
    if state is not None:
        state = tuple(s.detach() for s in state)
    logits, state = lstm(X_batch, state)
    loss = criterion(logits.reshape(-1, vocab_size), y_batch.reshape(-1))
    lstm_optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(lstm.parameters(), max_norm)
    lstm_optimizer.step()
    loss.item()  # ждём окончания шага
    lstm_step_seconds.append(time.perf_counter() - started)
    lstm_seconds += lstm_step_seconds[-1]
    if lstm_seconds >= next_eval or lstm_seconds >= gpt_seconds:
        lstm_curve.append((lstm_seconds, val_bits_per_char(lstm, lstm_long_piece)))
        next_eval += gpt_curve[0][0]

lstm_val_bpc = lstm_curve[-1][1]
print(f"{'модель':<8} {'шагов':>6} {'секунд':>7} {'бит на символ':>14}")
print(f"{'GPT':<8} {num_steps:>6} {gpt_seconds:>7.1f} {val_bpc:>14.3f}")
print(f"{'LSTM':<8} {len(lstm_step_seconds):>6} {lstm_seconds:>7.1f} {lstm_val_bpc:>14.3f}")
winner = "GPT" if val_bpc < lstm_val_bpc else "LSTM"
print(f"При равном времени лучше {winner}.")

# %%
# Кто впереди, зависит от машины и длины обучения, а на занятом компьютере — и от
# соседних программ: время шага меряется по часам. У LSTM удачное для текста
# предубеждение — она с самого начала читает символы по порядку, а трансформеру сначала
# приходится научиться пользоваться позициями; зато все позиции отрезка GPT считает
# одновременно, а LSTM — одну за другой. Преимущества трансформера раскрываются на видеокарте,
# при долгом обучении и с ростом модели: увеличьте ``num_steps``, ``n_embd`` и ``n_layer``
# и запустите урок на GPU.

# %%
# Модель не видит будущего
# ------------------------
# Тот же опыт, что с маской выше, но на обученной модели: заменим символ на позиции 20
# и сравним логиты. Логиты позиций 0–19 не должны измениться совсем, а с позиции 20 —
# должны: теперь модель читает другой текст.

model.eval()
changed_position = 20
original = val_data[:block_size][None].to(device)
changed = original.clone()
changed[0, changed_position] = (changed[0, changed_position] + 1) % vocab_size
with torch.no_grad():
    logits_original, logits_changed = model(original), model(changed)
difference = (logits_original - logits_changed).abs()
past_change = difference[0, :changed_position].max().item()
later_change = difference[0, changed_position:].max().item()
print(f"Логиты до позиции {changed_position} изменились на {past_change}, после — на ", end="")
print(f"{later_change:.3f}")

# %%
# Генерация и KV-кэш
# ------------------
# Генерация — та же, что в уроке 3.1: температура, top-k и свой генератор случайных чисел.
# Наивный способ ради каждого нового символа заново прогоняет через модель весь контекст,
# хотя для старых символов ключи и значения уже посчитаны и не меняются: маска не даёт
# им смотреть на новые символы. KV-кэш хранит ключи и значения каждого слоя; новому символу
# остаётся посчитать только свои и посмотреть на кэш. Ответ должен совпасть до символа.
#
# Ограничение: позиционная таблица знает только позиции 0…``block_size`` − 1. Без кэша
# мы просто берём последние ``block_size`` символов; с кэшем позиции растут, поэтому
# здесь кэш работает, пока текст не длиннее ``block_size``.


def next_char_probs(logits, temperature=1.0, top_k=None):
    logits = logits / temperature
    if top_k is not None:
        kth_best = torch.topk(logits, top_k).values[..., -1:]
        logits = logits.masked_fill(logits < kth_best, float("-inf"))
    return F.softmax(logits, dim=-1)


@torch.no_grad()
def generate(model, prompt, length, temperature=1.0, top_k=None, seed=0, use_cache=False):
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    ids = encode(prompt)
    caches = [{} for _ in model.blocks] if use_cache else None
    new_ids = torch.tensor([ids], device=device)  # с кэшем подаём только новые символы
    for _ in range(length):
        if use_cache:
            logits = model(new_ids, caches)
        else:
            logits = model(torch.tensor([ids[-block_size:]], device=device))
        probs = next_char_probs(logits[0, -1], temperature, top_k).cpu()
        next_id = torch.multinomial(probs, 1, generator=generator).item()
        ids.append(next_id)
        new_ids = torch.tensor([[next_id]], device=device)
    return decode(ids)


prompt = "Жизнь" if set("Жизнь") <= set(chars) else text[0]
cache_length = block_size - len(prompt)
started = time.perf_counter()
without_cache = generate(model, prompt, cache_length, 0.8, seed=1)
seconds_without_cache = time.perf_counter() - started
started = time.perf_counter()
with_cache = generate(model, prompt, cache_length, 0.8, seed=1, use_cache=True)
seconds_with_cache = time.perf_counter() - started
cache_matches = with_cache == without_cache
print(f"Без кэша: {seconds_without_cache:.2f} с, с кэшем: {seconds_with_cache:.2f} с; ", end="")
print(f"тексты совпадают: {cache_matches}")
print(with_cache)

# %%
# Образцы при разных температурах (без кэша, поэтому сколь угодно длинные) и доля
# настоящих слов — как в уроке 3.1.

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
# Рисунки
# -------
# Слева — бит на символ на валидационной части в зависимости от секунд обучения для
# обеих моделей. Справа — веса внимания первой головы первого блока на куске текста:
# строка — позиция, которая смотрит, столбец — на кого; выше диагонали всё пусто.

snippet = val_data[:24][None].to(device)
with torch.no_grad():
    first_block = model.blocks[0]
    positions = torch.arange(24, device=device)
    hidden = model.token_embedding(snippet) + model.position_embedding(positions)
    q, k, _ = first_block.attn.qkv(first_block.ln1(hidden)).split(n_embd, dim=-1)
    head_size = n_embd // n_head
    scores = q[0, :, :head_size] @ k[0, :, :head_size].T / math.sqrt(head_size)
    mask = torch.ones(24, 24, dtype=torch.bool, device=device).tril()
    attention_weights = F.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1).cpu()

fig, (ax_curve, ax_attention) = plt.subplots(1, 2, figsize=(13, 5))
ax_curve.plot(*zip(*gpt_curve, strict=True), marker="o", label="GPT")
ax_curve.plot(*zip(*lstm_curve, strict=True), marker="s", label="LSTM (урок 3.1)")
ax_curve.axhline(bigram_bpc, color="gray", linestyle="--", label="биграммы")
ax_curve.set_xlabel("секунды обучения")
ax_curve.set_ylabel("бит на символ (валидационная часть)")
ax_curve.set_title("Равное время обучения")
ax_curve.legend()
labels = [repr(ch)[1:-1] for ch in decode(snippet[0].tolist())]
ax_attention.imshow(attention_weights.numpy(), cmap="Blues")
ax_attention.set_xticks(range(24), labels)
ax_attention.set_yticks(range(24), labels)
ax_attention.set_title("Веса внимания: блок 1, голова 1")
save_figure(fig, "gpt")

# %%
# Что дальше
# ----------
# Настоящий GPT отличается от нашего размером (десятки слоёв, тысячи чисел на позицию),
# словарём (куски слов вместо символов) и объёмом текста, но не устройством: те же
# блоки «внимание + полносвязная сеть», та же маска, тот же KV-кэш при генерации.
