"""Проверки упражнений урока 3.1 «Языковая модель на символах»."""

import math

import torch

from kurs.exercises.spec import call, expect_close, expect_tensor, fail


def _markov_text(length: int, vocab_size: int, seed: int) -> torch.Tensor:
    """Номера символов из цепи Маркова: следующий символ заметно зависит от предыдущего."""
    gen = torch.Generator().manual_seed(seed)
    transitions = torch.softmax(torch.randn(vocab_size, vocab_size, generator=gen) * 2.5, dim=1)
    ids = [0]
    for _ in range(length - 1):
        ids.append(torch.multinomial(transitions[ids[-1]], 1, generator=gen).item())
    return torch.tensor(ids, dtype=torch.int64)


# %% 3.1.1 Биграммы в битах на символ


def _bigram_tables(train: torch.Tensor, vocab_size: int) -> torch.Tensor:
    pairs = train[:-1] * vocab_size + train[1:]
    return torch.bincount(pairs, minlength=vocab_size**2).view(vocab_size, vocab_size).double()


def _bigram_bits(train, val, vocab_size, alpha, *, variant="right") -> float:
    counts = _bigram_tables(train, vocab_size)
    a, b = val[:-1], val[1:]
    if variant == "columns":  # нормировка по столбцам: p(предыдущий | следующий)
        probs = (counts + alpha) / (counts + alpha).sum(dim=0, keepdim=True)
    elif variant == "joint":  # делили на число всех пар
        probs = (counts + alpha) / (counts + alpha).sum()
    elif variant == "no_alpha_below":  # alpha только в числителе
        probs = (counts + alpha) / counts.sum(dim=1, keepdim=True).clamp_min(1)
    else:
        probs = (counts + alpha) / (counts + alpha).sum(dim=1, keepdim=True)
    bits = -probs[a, b].log2()
    return bits.sum().item() if variant == "sum" else bits.mean().item()


def _unigram_bits(train, val, vocab_size, alpha) -> float:
    counts = torch.bincount(train, minlength=vocab_size).double() + alpha
    return -(counts / counts.sum())[val[1:]].log2().mean().item()


def _bigram_case(seed: int):
    vocab_size = (5, 12, 3, 20)[seed % 4]
    text = _markov_text(900 + 100 * seed, vocab_size, seed)
    return text[:-200], text[-200:], vocab_size


def _same(got, value) -> bool:
    if isinstance(got, torch.Tensor) and got.numel() == 1:
        got = got.item()
    return isinstance(got, (int, float)) and math.isclose(got, value, rel_tol=1e-4, abs_tol=1e-6)


def check_bigram_bits(bigram_bits_per_char):
    cases = [(*_bigram_case(seed), alpha) for seed, alpha in ((0, 0.1), (1, 1.0), (2, 0.5))]
    # Обучающая часть без символа 4 и без пары (0, 1), а в проверочной они есть.
    train = torch.tensor([0, 2, 3, 1, 2, 0, 0, 2, 1, 3, 0, 3, 3, 2, 2, 1] * 5, dtype=torch.int64)
    cases.append((train, torch.tensor([2, 0, 1, 4, 0, 3, 4, 4, 2], dtype=torch.int64), 5, 0.1))
    for train, val, vocab_size, alpha in cases:
        inputs = f"словарь {vocab_size}, alpha={alpha}, {len(train)} + {len(val)} символов"
        got = call(bigram_bits_per_char, train, val, vocab_size, alpha)
        expected = _bigram_bits(train, val, vocab_size, alpha)
        if isinstance(got, torch.Tensor) and got.numel() == 1:
            got = got.item()
        if isinstance(got, float) and not math.isfinite(got):
            fail(
                f"({inputs}) получилось {got}: где-то вероятность вышла 0 или деление на 0 "
                "(у пары или символа, которых не было в обучающей части). Прибавьте alpha "
                "к счётчику каждой пары, а к знаменателю — alpha·V"
            )
        if _same(got, expected * math.log(2)):
            fail(
                f"({inputs}) это наты (натуральный логарифм): ваш результат {got:.4f}, "
                f"ожидалось {expected:.4f} бит. Биты = наты / ln 2, или берите log2"
            )
        if _same(got, _bigram_bits(train, val, vocab_size, alpha, variant="sum")):
            fail(f"({inputs}) это сумма бит по всем символам, а нужно среднее на символ")
        if _same(got, _unigram_bits(train, val, vocab_size, alpha)):
            fail(
                f"({inputs}) это униграммы: вероятность символа не зависит от предыдущего. "
                "Считайте пары (предыдущий, следующий)"
            )
        for variant, message in (
            (
                "columns",
                "вы нормировали по столбцам и получили p(предыдущий | следующий); "
                "строка таблицы — предыдущий символ, нормируйте каждую строку",
            ),
            (
                "joint",
                "вы поделили на число всех пар, а нужно на число пар, которые начинаются "
                "с того же символа (сумму строки таблицы)",
            ),
            ("no_alpha_below", "alpha прибавлена к счётчику пары, но не к знаменателю (+ α·V)"),
        ):
            if _same(got, _bigram_bits(train, val, vocab_size, alpha, variant=variant)):
                fail(f"({inputs}) {message}")
        expect_close(got, expected, what=f"бит на символ ({inputs})")


# %% 3.1.2 Батчи для усечённого BPTT


def _tbptt_reference(data, batch_size, seq_len, layout="rows", shift=1, keep_tail=False):
    length = len(data) // batch_size
    if layout == "rows":
        streams = data[: length * batch_size].view(batch_size, length)
    else:  # символы раздаются потокам по очереди
        streams = data[: length * batch_size].view(length, batch_size).T
    last = length - 1 if keep_tail else length - seq_len  # keep_tail: и неполный батч
    return [
        (streams[:, p : p + seq_len], streams[:, p + shift : p + seq_len + shift])
        for p in range(0, last, seq_len)
    ]


def _as_pairs(result, inputs):
    if isinstance(result, torch.Tensor) or not hasattr(result, "__iter__"):
        fail(f"({inputs}) ожидался список пар (X, y), получен {type(result).__name__}")
    pairs = list(result)
    for number, pair in enumerate(pairs, start=1):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            fail(f"({inputs}) элемент №{number} — не пара (X, y): {type(pair).__name__}")
    return pairs


def _same_batches(got, expected) -> bool:
    return len(got) == len(expected) and all(
        isinstance(X, torch.Tensor)
        and X.shape == eX.shape
        and torch.equal(X, eX)
        and isinstance(y, torch.Tensor)
        and y.shape == ey.shape
        and torch.equal(y, ey)
        for (X, y), (eX, ey) in zip(got, expected, strict=True)
    )


def check_tbptt_batches(tbptt_batches):
    for length, batch_size, seq_len in ((103, 4, 5), (64, 2, 7), (50, 5, 3), (37, 1, 6)):
        data = torch.arange(length, dtype=torch.int64) * 3 % 101  # номер показывает позицию
        inputs = f"len(data)={length}, batch_size={batch_size}, seq_len={seq_len}"
        got = _as_pairs(call(tbptt_batches, data, batch_size, seq_len), inputs)
        expected = _tbptt_reference(data, batch_size, seq_len)
        for variant, message in (
            (
                {"layout": "columns"},
                "символы розданы потокам по очереди (view(L, batch_size).T): поток должен "
                "быть сплошным куском текста — строка i это символы с i·L по (i + 1)·L − 1, "
                "где L = len(data) // batch_size",
            ),
            ({"shift": 0}, "цели y совпадают с входом X: их нужно сдвинуть на один символ"),
            (
                {"keep_tail": True},
                "в конце лишний неполный батч: хвост потоков, которого не хватает на целые "
                "X и y, отбрасывается — все батчи формы (batch_size, seq_len)",
            ),
        ):
            wrong = _tbptt_reference(data, batch_size, seq_len, **variant)
            if _same_batches(got, wrong) and not _same_batches(wrong, expected):
                fail(f"({inputs}) {message}")
        if len(got) != len(expected):
            fail(f"({inputs}) батчей {len(got)}, а ожидалось {len(expected)}")
        for number, ((X, y), (eX, ey)) in enumerate(zip(got, expected, strict=True), start=1):
            expect_tensor(X, eX, what=f"X батча №{number}", inputs=inputs)
            expect_tensor(y, ey, what=f"y батча №{number}", inputs=inputs)


# %% 3.1.3 Выбор следующего символа: температура и top-k


def _probs(logits, temperature, top_k):
    logits = logits.double() / temperature
    if top_k is not None:
        kth = torch.topk(logits, top_k, dim=-1).values[..., -1:]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    return torch.softmax(logits, dim=-1)


def _draw(sample_next, logits, temperature, top_k, seed, global_seed, inputs):
    torch.manual_seed(global_seed)
    generator = torch.Generator().manual_seed(seed)
    got = call(sample_next, logits, generator, temperature, top_k)
    if not isinstance(got, torch.Tensor):
        fail(f"({inputs}) ожидался torch.Tensor номеров, получен {type(got).__name__}")
    if got.shape != (logits.shape[0],):
        fail(
            f"({inputs}) ожидалась форма ({logits.shape[0]},) — по номеру на строку логитов, "
            f"получена {tuple(got.shape)}"
        )
    if got.dtype != torch.int64:
        fail(f"({inputs}) ожидался тип torch.int64, получен {got.dtype}")
    if got.min() < 0 or got.max() >= logits.shape[1]:
        fail(f"({inputs}) номера вне словаря: от {got.min().item()} до {got.max().item()}")
    return got


def check_sample_next(sample_next):
    row = torch.tensor([1.2, -0.3, 0.4, 2.0, -1.5, 0.9])
    draws = 6000
    for temperature, top_k in ((1.0, None), (0.5, None), (2.0, 3), (1.0, 1)):
        inputs = f"T={temperature}, top_k={top_k}, {draws} строк одинаковых логитов"
        logits = row.repeat(draws, 1)
        got = _draw(sample_next, logits, temperature, top_k, 11, 1, inputs)
        again = _draw(sample_next, logits, temperature, top_k, 11, 2, inputs)
        if not torch.equal(got, again):
            fail(
                f"({inputs}) с одинаково засеянным generator ответы разные: случайность "
                "берите из переданного generator (torch.multinomial(..., generator=generator))"
            )
        frequencies = torch.bincount(got, minlength=len(row)).double() / draws
        expected = _probs(row, temperature, top_k)
        if top_k is not None and (expected[got] == 0).any():
            fail(
                f"({inputs}) выбран символ не из {top_k} самых вероятных: "
                "остальным логитам нужно поставить −∞ до softmax"
            )
        if top_k != 1 and frequencies.max() == 1.0:
            fail(
                f"({inputs}) каждый раз выбран один и тот же символ — это argmax, а нужна "
                "случайная выборка из распределения"
            )
        if (frequencies - expected).abs().max() > 0.03:
            message = f"({inputs}) частоты выборки не совпадают с softmax(логиты / T)"
            if temperature != 1.0:
                hot = _probs(row * temperature * temperature, temperature, top_k)
                if (frequencies - hot).abs().max() <= 0.03:
                    message += ": похоже, логиты умножены на T, а их нужно делить"
            message += (
                f"\n    ваши частоты: {[round(f, 3) for f in frequencies.tolist()]}"
                f"\n    ожидалось:    {[round(p, 3) for p in expected.tolist()]}"
            )
            fail(message)
    # В батче строки разные: top-k и softmax — по каждой строке отдельно.
    gen = torch.Generator().manual_seed(4)
    mixed = torch.randn(3, 8, generator=gen) * 2
    logits = mixed.repeat_interleave(2000, dim=0)
    inputs = "T=1.0, top_k=2, три разные строки логитов"
    got = _draw(sample_next, logits, 1.0, 2, 12, 3, inputs).view(3, 2000)
    for number in range(3):
        allowed = torch.topk(mixed[number], 2).indices
        if not torch.isin(got[number], allowed).all():
            fail(
                f"({inputs}) для строки №{number + 1} выбран символ не из её двух лучших: "
                "top-k считается по последней оси, отдельно для каждой строки"
            )
