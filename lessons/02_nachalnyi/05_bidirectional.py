"""
Двунаправленная сеть
====================

Рекуррентная сеть из урока 2.4 читает последовательность слева направо: её выход на шаге
``t`` знает только элементы ``0…t``. Часто этого мало: часть речи слова «стекло» понятна
лишь по следующему слову («стекло разбилось» или «стекло по стеклу»). Двунаправленная сеть
читает последовательность дважды — слева направо и справа налево — и склеивает оба
взгляда. В этом уроке мы разберём, где в её выходе какое направление, покажем задачу,
в которой знание будущего даёт измеримый выигрыш, и задачу, в которой это знание —
жульничество.

Запуск: ``kurs run 2.5`` (или ``kurs run bidirectional-rnn``), быстрый режим — ``--quick``.
"""

# %%
# Подготовка
# ----------

import itertools

import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

from kurs.helpers import choose_device, options, save_figure

opts = options()
device = choose_device(opts.device)
torch.manual_seed(0)

# Гиперпараметры
batch_size = 64
lr = 1e-2
num_steps = 100 if opts.quick else 300  # шагов оптимизатора на каждую модель
seq_len = 24  # длина последовательностей в обеих задачах
window = 2  # метка элемента зависит от window соседей слева и window справа
hidden_bi = 32  # у двунаправленной сети два направления по hidden_bi
hidden_uni = 48  # однонаправленной даём больше, чтобы параметров было не меньше
vocab_size = 10  # цифры 0…9 во второй задаче
num_train, num_test = 4000, 1000

# %%
# Форма выхода и скрытого состояния
# ---------------------------------
# ``nn.LSTM(..., bidirectional=True)`` — это две независимые LSTM с одинаковыми размерами.
# Первая читает последовательность слева направо, вторая — справа налево. На каждом шаге
# их выходы склеиваются, поэтому последнее измерение ``output`` вдвое больше:
# ``2 · hidden_size``. Первая половина — прямое направление, вторая — обратное.
#
# Скрытое состояние ``h_n`` хранит последнее состояние каждого направления каждого слоя:
# форма ``(num_layers · 2, N, hidden_size)``, порядок — слой 0 вперёд, слой 0 назад,
# слой 1 вперёд, … Удобно посмотреть на него как ``h_n.view(num_layers, 2, N, hidden_size)``.

demo_batch, demo_len, demo_input, demo_hidden, demo_layers = 3, 5, 2, 4, 2
demo_lstm = nn.LSTM(
    demo_input, demo_hidden, num_layers=demo_layers, batch_first=True, bidirectional=True
)
demo_x = torch.randn(demo_batch, demo_len, demo_input)
with torch.no_grad():
    demo_out, (demo_h, demo_c) = demo_lstm(demo_x)
print(f"вход:   {tuple(demo_x.shape)}  — (N, T, input_size)")
print(f"output: {tuple(demo_out.shape)}  — (N, T, 2·hidden_size)")
print(f"h_n:    {tuple(demo_h.shape)}  — (num_layers·2, N, hidden_size); c_n такой же")

# Прямое направление заканчивает чтение на последнем шаге, обратное — на первом.
# Поэтому последнее состояние прямого направления лежит в output[:, -1, :H],
# а обратного — в output[:, 0, H:], а не в output[:, -1, H:].
H = demo_hidden
demo_h_by_layer = demo_h.view(demo_layers, 2, demo_batch, H)
forward_final_matches = torch.equal(demo_h_by_layer[-1, 0], demo_out[:, -1, :H])
backward_final_matches = torch.equal(demo_h_by_layer[-1, 1], demo_out[:, 0, H:])
print(f"h_n верхнего слоя вперёд == output[:, -1, :H]: {forward_final_matches}")
print(f"h_n верхнего слоя назад  == output[:, 0, H:]:  {backward_final_matches}")

# У каждого слоя два набора весов: без суффикса — прямое направление, с ``_reverse`` — обратное.
demo_param_names = [name for name, _ in demo_lstm.named_parameters()]
print("Параметры:", ", ".join(demo_param_names))

# %%
# Обратное направление — это обычная LSTM на перевёрнутой последовательности
# ----------------------------------------------------------------------------
# Проверим это буквально. Возьмём однослойную двунаправленную LSTM и две обычные:
# в первую скопируем веса прямого направления, во вторую — веса с суффиксом ``_reverse``.
# Вторую запустим на ``x.flip(1)`` (элементы в обратном порядке) и перевернём её выход
# обратно. Склеив два выхода, получим выход двунаправленной сети.

bi_lstm = nn.LSTM(demo_input, demo_hidden, batch_first=True, bidirectional=True)
forward_lstm = nn.LSTM(demo_input, demo_hidden, batch_first=True)
backward_lstm = nn.LSTM(demo_input, demo_hidden, batch_first=True)
bi_weights = bi_lstm.state_dict()
forward_lstm.load_state_dict({name: bi_weights[name] for name in forward_lstm.state_dict()})
backward_lstm.load_state_dict(
    {name: bi_weights[f"{name}_reverse"] for name in backward_lstm.state_dict()}
)
with torch.no_grad():
    bi_out, _ = bi_lstm(demo_x)
    forward_out, _ = forward_lstm(demo_x)
    backward_out, _ = backward_lstm(demo_x.flip(1))
    backward_out = backward_out.flip(1)  # вернём шаги в исходный порядок
manual_bi_out = torch.cat([forward_out, backward_out], dim=2)
manual_error = (manual_bi_out - bi_out).abs().max().item()
print(f"Две LSTM вручную против bidirectional=True: наибольшая разница {manual_error:.1e}")

# Частая ошибка — брать output[:, -1] как «итог всей последовательности». Его прямая
# половина действительно прочла всё, а обратная успела прочесть только последний элемент.
with torch.no_grad():
    last_only, _ = backward_lstm(demo_x[:, -1:])
last_step_backward_saw_one = torch.allclose(bi_out[:, -1, H:], last_only[:, 0], atol=1e-6)
print(f"output[:, -1, H:] зависит только от последнего элемента: {last_step_backward_saw_one}")

# %%
# Последовательности разной длины
# -------------------------------
# В батче последовательности дополняют нулями до общей длины (``pad_sequence``). Прямому
# направлению хвост из нулей не мешает: настоящие шаги он читает раньше нулей. А обратное
# направление начинает чтение с конца — то есть с нулей, и выход на настоящих шагах
# портится. ``pack_padded_sequence`` сообщает LSTM длины, и каждое направление читает
# только настоящие элементы.

lengths = torch.tensor([5, 3, 2])
sequences = [torch.randn(int(length), demo_input) for length in lengths]
padded = pad_sequence(sequences, batch_first=True)  # (3, 5, 2), хвосты — нули
short = sequences[2]  # последовательность длины 2
with torch.no_grad():
    alone, _ = bi_lstm(short.unsqueeze(0))  # эталон: короткая последовательность одна
    naive, _ = bi_lstm(padded)
    packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
    packed_out, _ = bi_lstm(packed)
    unpacked, unpacked_lengths = pad_packed_sequence(packed_out, batch_first=True)
naive_forward_ok = torch.allclose(naive[2, :2, :H], alone[0, :, :H], atol=1e-6)
naive_backward_ok = torch.allclose(naive[2, :2, H:], alone[0, :, H:], atol=1e-6)
packed_ok = torch.allclose(unpacked[2, :2], alone[0], atol=1e-6)
print(f"Без упаковки: прямая половина верна — {naive_forward_ok}, обратная — {naive_backward_ok}")
print(f"С pack_padded_sequence обе половины верны: {packed_ok}")

# %%
# Задача, где будущее помогает: разметка
# --------------------------------------
# Разметка (tagging) — ответ на каждом шаге: часть речи каждого слова, имя или не имя.
# Наша игрушечная разметка: последовательность из случайных +1 и −1, метка элемента —
# 1, если сумма его самого и ``window`` соседей с каждой стороны положительна. Метка
# зависит и от прошлого, и от будущего. Размечаем элементы, у которых есть все соседи,
# — это позиции ``window … seq_len − window − 1``.


def make_tagging_data(n):
    """Случайные ±1 формы (n, seq_len, 1) и метки соседних сумм (n, seq_len − 2·window)."""
    x = torch.randint(0, 2, (n, seq_len)).float() * 2 - 1
    window_sums = x.unfold(1, 2 * window + 1, 1).sum(dim=2)
    return x.unsqueeze(2), (window_sums > 0).long()


X_tag_train, y_tag_train = make_tagging_data(num_train)
X_tag_test, y_tag_test = make_tagging_data(num_test)
X_tag_test, y_tag_test = X_tag_test.to(device), y_tag_test.to(device)
print(f"Обучение: {tuple(X_tag_train.shape)}, метки {tuple(y_tag_train.shape)}")

# %%
# Сколько может однонаправленная сеть? На шаге ``t`` она видела ``window + 1`` элементов
# окна из ``2·window + 1``, а будущие ``window`` — случайные монетки. Лучшее, что она может,
# — угадать знак суммы по знаку видимой части. Переберём все ``2⁵ = 32`` окна и посчитаем
# долю верных ответов такой стратегии: это потолок для любой однонаправленной сети.

all_windows = torch.tensor(list(itertools.product([-1.0, 1.0], repeat=2 * window + 1)))
seen_sum = all_windows[:, : window + 1].sum(dim=1)  # window + 1 нечётно: нулей нет
uni_ceiling = ((seen_sum > 0) == (all_windows.sum(dim=1) > 0)).float().mean().item()
print(f"Потолок однонаправленной сети: {uni_ceiling:.4f}")

# %%
# Модель разметки: LSTM и линейный слой, который превращает выход каждого шага в два логита.


class Tagger(nn.Module):
    def __init__(self, hidden_size, bidirectional):
        super().__init__()
        self.rnn = nn.LSTM(1, hidden_size, batch_first=True, bidirectional=bidirectional)
        self.fc = nn.Linear(hidden_size * (2 if bidirectional else 1), 2)

    def forward(self, x):
        output, _ = self.rnn(x)  # (N, T, H) или (N, T, 2H)
        return self.fc(output[:, window : seq_len - window])  # логиты размечаемых шагов


def num_params(model):
    return sum(parameter.numel() for parameter in model.parameters())


def tagging_accuracy(model):
    model.eval()
    with torch.no_grad():
        predictions = model(X_tag_test).argmax(dim=2)
    return (predictions == y_tag_test).float().mean().item()


def train_tagger(model):
    """Обучает модель разметки; возвращает долю верных ответов на тесте каждые 20 шагов."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    curve = []
    for step in range(num_steps):
        model.train()
        idx = torch.randint(0, num_train, (batch_size,))
        X_batch, y_batch = X_tag_train[idx].to(device), y_tag_train[idx].to(device)
        logits = model(X_batch)  # (batch_size, размеченных шагов, 2)
        loss = criterion(logits.reshape(-1, 2), y_batch.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if (step + 1) % 20 == 0:
            curve.append(tagging_accuracy(model))
    return curve


uni_tagger = Tagger(hidden_uni, bidirectional=False).to(device)
bi_tagger = Tagger(hidden_bi, bidirectional=True).to(device)
print(
    f"Параметров: однонаправленная {num_params(uni_tagger)}, двунаправленная {num_params(bi_tagger)}"
)
uni_curve = train_tagger(uni_tagger)
bi_curve = train_tagger(bi_tagger)
uni_accuracy, bi_accuracy = tagging_accuracy(uni_tagger), tagging_accuracy(bi_tagger)
print(f"Доля верных ответов на тесте: однонаправленная {uni_accuracy:.4f}, ", end="")
print(f"двунаправленная {bi_accuracy:.4f}")
print(f"Выигрыш от знания будущего: {bi_accuracy - uni_accuracy:+.3f}")

# %%
# Однонаправленная сеть упирается в свой потолок: ей просто негде взять будущих соседей,
# и никакие дополнительные параметры не помогут. Двунаправленная решает задачу почти без
# ошибок, хотя параметров у неё меньше.

curve_steps = [20 * (i + 1) for i in range(len(uni_curve))]
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(curve_steps, uni_curve, marker="o", label="однонаправленная LSTM")
ax.plot(curve_steps, bi_curve, marker="s", label="двунаправленная LSTM")
ax.axhline(uni_ceiling, color="gray", linestyle="--", label="потолок без будущего")
ax.set_xlabel("шаг оптимизатора")
ax.set_ylabel("доля верных ответов (тест)")
ax.set_title("Разметка: метка зависит от соседей с обеих сторон")
ax.legend()
save_figure(fig, "bidirectional_tagging")

# %%
# Задача, где будущее — жульничество: предсказание следующего элемента
# --------------------------------------------------------------------
# Языковая модель (урок 3.1) на шаге ``t`` предсказывает элемент ``t + 1``. Возьмём
# последовательности из случайных цифр: следующая цифра не зависит от предыдущих, и честно
# угадать её можно лишь в 1 случае из 10. Обучим обе сети предсказывать следующую цифру.


class NextDigit(nn.Module):
    def __init__(self, hidden_size, bidirectional):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, 16)
        self.rnn = nn.LSTM(16, hidden_size, batch_first=True, bidirectional=bidirectional)
        self.fc = nn.Linear(hidden_size * (2 if bidirectional else 1), vocab_size)

    def forward(self, tokens):
        output, _ = self.rnn(self.embed(tokens))
        return self.fc(output)  # логиты следующей цифры на каждом шаге


digits_train = torch.randint(0, vocab_size, (num_train, seq_len))
digits_test = torch.randint(0, vocab_size, (num_test, seq_len)).to(device)


def next_digit_accuracy(model, tokens):
    """Доля верно угаданных следующих цифр, когда сеть видит всю последовательность."""
    model.eval()
    with torch.no_grad():
        predictions = model(tokens)[:, :-1].argmax(dim=2)
    return (predictions == tokens[:, 1:]).float().mean().item()


def train_next_digit(model):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    for step in range(num_steps):
        model.train()
        batch = digits_train[torch.randint(0, num_train, (batch_size,))].to(device)
        logits = model(batch)[:, :-1]  # у последнего шага нет следующей цифры
        loss = criterion(logits.reshape(-1, vocab_size), batch[:, 1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


uni_lm = NextDigit(hidden_bi, bidirectional=False).to(device)
bi_lm = NextDigit(hidden_bi, bidirectional=True).to(device)
uni_lm_loss, bi_lm_loss = train_next_digit(uni_lm), train_next_digit(bi_lm)
uni_lm_accuracy = next_digit_accuracy(uni_lm, digits_test)
bi_lm_accuracy = next_digit_accuracy(bi_lm, digits_test)
print(f"Потери в конце обучения: однонаправленная {uni_lm_loss:.3f}, ", end="")
print(f"двунаправленная {bi_lm_loss:.3f} (ln 10 = 2.303)")
print(f"Угадано следующих цифр: однонаправленная {uni_lm_accuracy:.3f}, ", end="")
print(f"двунаправленная {bi_lm_accuracy:.3f}")

# %%
# Двунаправленная сеть «угадала» непредсказуемое. Секрет прост: обратное направление на
# шаге ``t`` уже прочло элемент ``t + 1`` — ответ лежит у неё во входе. Такая модель
# бесполезна для генерации: когда мы сочиняем текст, следующего элемента ещё нет.
# Проверим честно: будем давать сетям только начало последовательности ``0…t`` — ровно то,
# что есть при генерации, — и спрашивать следующую цифру.


def prefix_accuracy(model, tokens):
    """Доля угаданных следующих цифр, когда сеть видит только начало последовательности."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for t in range(seq_len - 1):
            last_logits = model(tokens[:, : t + 1])[:, -1]  # сеть не видит ничего после t
            correct += (last_logits.argmax(dim=1) == tokens[:, t + 1]).sum().item()
    return correct / (tokens.shape[0] * (seq_len - 1))


uni_prefix_accuracy = prefix_accuracy(uni_lm, digits_test)
bi_prefix_accuracy = prefix_accuracy(bi_lm, digits_test)
print(f"Только начало: однонаправленная {uni_prefix_accuracy:.3f}, ", end="")
print(f"двунаправленная {bi_prefix_accuracy:.3f}")

# Однонаправленной сети всё равно, видит ли она продолжение: её выход на шаге t
# не зависит от будущего, поэтому логиты на начале совпадают с логитами на целой строке.
with torch.no_grad():
    uni_lm.eval()
    bi_lm.eval()
    half = seq_len // 2
    uni_is_causal = torch.allclose(
        uni_lm(digits_test[:, :half]), uni_lm(digits_test)[:, :half], atol=1e-5
    )
    bi_is_causal = torch.allclose(
        bi_lm(digits_test[:, :half]), bi_lm(digits_test)[:, :half], atol=1e-5
    )
print(
    f"Выход на первых шагах не зависит от продолжения: однонаправленная {uni_is_causal}, ", end=""
)
print(f"двунаправленная {bi_is_causal}")

fig, ax = plt.subplots(figsize=(7, 4))
positions = torch.arange(2)
ax.bar(positions - 0.2, [uni_lm_accuracy, uni_prefix_accuracy], 0.4, label="однонаправленная")
ax.bar(positions + 0.2, [bi_lm_accuracy, bi_prefix_accuracy], 0.4, label="двунаправленная")
ax.axhline(1 / vocab_size, color="gray", linestyle="--", label="случайное угадывание")
ax.set_xticks(positions.tolist(), ["видит всю строку", "видит только начало"])
ax.set_ylabel("доля угаданных следующих цифр")
ax.set_title("Следующая случайная цифра: честно угадать нельзя")
ax.legend()
save_figure(fig, "bidirectional_cheating")

# %%
# Итоги
# -----
# * ``bidirectional=True`` удваивает последнее измерение ``output`` (сначала прямое
#   направление, потом обратное) и число состояний в ``h_n``.
# * Итог прямого направления — ``output[:, -1, :H]``, итог обратного — ``output[:, 0, H:]``;
#   для последовательностей разной длины нужна упаковка ``pack_padded_sequence``.
# * Двунаправленная сеть уместна, когда вся последовательность известна заранее:
#   разметка, классификация, кодировщик перевода. Там, где ответ нужен до того, как
#   пришло будущее (генерация текста, прогноз, распознавание речи на лету), —
#   только однонаправленная.
