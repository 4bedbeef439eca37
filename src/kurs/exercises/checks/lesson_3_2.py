"""Проверки упражнений урока 3.2 «Внимание и маленький GPT».

Эталон везде — то, что уже есть в PyTorch: ``F.scaled_dot_product_attention`` и
``nn.MultiheadAttention`` с теми же весами. Все случайные данные — из своих генераторов.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

from kurs.exercises.spec import call, expect_tensor, fail


def _randn(shape, seed: int, dtype=torch.float32) -> torch.Tensor:
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def _close(got, expected, atol=1e-5) -> bool:
    return (
        isinstance(got, torch.Tensor)
        and got.shape == expected.shape
        and torch.allclose(got.detach().double(), expected.detach().double(), atol=atol, rtol=1e-4)
    )


def _attention_variant(q, k, v, *, scale="sqrt", mask="causal", fill=float("-inf"), dim=-1):
    d = q.shape[-1]
    scores = q @ k.transpose(-2, -1)
    scores = scores / {"sqrt": math.sqrt(d), "none": 1.0, "d": d}[scale]
    T = q.shape[-2]
    if mask != "none":
        allowed = torch.ones(T, T, dtype=torch.bool).tril()
        if mask == "flipped":
            allowed = allowed.T
        scores = scores.masked_fill(~allowed, fill)
    return torch.softmax(scores, dim=dim) @ v


# %% 3.2.1 Причинное внимание руками


def check_causal_attention(causal_attention):
    shapes = (
        ((2, 3, 5, 8), 8),
        ((1, 1, 1, 4), 4),
        ((4, 7, 16), 16),
        ((2, 2, 6, 4), 3),  # у значений своя длина вектора
    )
    for number, (shape, value_dim) in enumerate(shapes):
        q, k = _randn(shape, 10 * number), _randn(shape, 10 * number + 1)
        v = _randn((*shape[:-1], value_dim), 10 * number + 2)
        inputs = f"q и k формы {shape}, v формы {tuple(v.shape)}"
        got = call(causal_attention, q, k, v)
        expected = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        if isinstance(got, torch.Tensor) and got.shape == expected.shape and shape[-2] > 1:
            for variant, message in (
                (
                    {"mask": "none"},
                    "позиции видят будущее: нужна причинная маска — позиция i смотрит "
                    "только на позиции 0…i",
                ),
                (
                    {"mask": "flipped"},
                    "маска перевёрнута: позиция i видит будущее (i…T−1), а прошлое закрыто; "
                    "нужна нижнетреугольная маска (tril)",
                ),
                (
                    {"fill": 0.0},
                    "запрещённые оценки заменены нулём, но exp(0) = 1, и будущее всё равно "
                    "получает вес; заменяйте их на −∞ (float('-inf'))",
                ),
                ({"scale": "none"}, "оценки q·k не поделены на √d"),
                ({"scale": "d"}, "оценки поделены на d, а нужно на √d"),
                (
                    {"dim": -2},
                    "softmax взят по оси запросов; веса каждой позиции — это softmax по "
                    "ключам, по последней оси",
                ),
            ):
                if _close(got, _attention_variant(q, k, v, **variant)):
                    fail(f"({inputs}) {message}")
        expect_tensor(got, expected, what="ответ внимания", inputs=inputs)
    # Градиент должен доходить до q, k и v: внимание учат обратным распространением.
    q, k, v = (_randn((2, 4, 8), 50 + i, torch.float64).requires_grad_() for i in range(3))
    got = call(causal_attention, q, k, v)
    if not isinstance(got, torch.Tensor) or got.grad_fn is None:
        fail("ответ не связан с q, k, v графом: уберите torch.no_grad(), detach() и .item()")
    grads = torch.autograd.grad(got.sum(), (q, k, v))
    reference = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    expected_grads = torch.autograd.grad(reference.sum(), (q, k, v))
    for name, grad, expected in zip("qkv", grads, expected_grads, strict=True):
        expect_tensor(grad, expected, what=f"градиент по {name}", inputs="(2, 4, 8), float64")


# %% 3.2.2 Многоголовое внимание


def _mha_case(batch, length, embed, heads, seed):
    torch_mha = nn.MultiheadAttention(embed, heads, batch_first=True)
    weights = (
        _randn((3 * embed, embed), seed) / math.sqrt(embed),
        _randn((3 * embed,), seed + 1) * 0.1,
        _randn((embed, embed), seed + 2) / math.sqrt(embed),
        _randn((embed,), seed + 3) * 0.1,
    )
    with torch.no_grad():
        torch_mha.in_proj_weight.copy_(weights[0])
        torch_mha.in_proj_bias.copy_(weights[1])
        torch_mha.out_proj.weight.copy_(weights[2])
        torch_mha.out_proj.bias.copy_(weights[3])
    x = _randn((batch, length, embed), seed + 4)
    return torch_mha, x, weights


def _mha_variant(x, weights, heads, *, split="right", proj=True, causal=True):
    qkv_weight, qkv_bias, proj_weight, proj_bias = weights
    B, T, E = x.shape
    q, k, v = F.linear(x, qkv_weight, qkv_bias).split(E, dim=-1)
    if split == "view":  # головы нарезаны без transpose: перемешаны позиции и головы
        q, k, v = (t.reshape(B, heads, T, E // heads) for t in (q, k, v))
    else:
        q, k, v = (t.view(B, T, heads, E // heads).transpose(1, 2) for t in (q, k, v))
    y = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    y = y.transpose(1, 2).reshape(B, T, E)
    return F.linear(y, proj_weight, proj_bias) if proj else y


def check_multi_head_attention(multi_head_attention):
    for batch, length, embed, heads, seed in (
        (2, 5, 8, 2, 0),
        (1, 7, 12, 3, 10),
        (3, 4, 16, 4, 20),
        (2, 6, 8, 1, 30),
    ):
        torch_mha, x, weights = _mha_case(batch, length, embed, heads, seed)
        inputs = f"x формы {tuple(x.shape)}, n_head={heads}"
        got = call(multi_head_attention, x, *weights, heads)
        future = ~torch.ones(length, length, dtype=torch.bool).tril()
        with torch.no_grad():
            expected, _ = torch_mha(x, x, x, attn_mask=future, need_weights=False)
        if isinstance(got, torch.Tensor) and got.shape == expected.shape:
            variants = [
                ({"causal": False}, "позиции видят будущее: нужна причинная маска"),
                (
                    {"proj": False},
                    "ответы голов склеены, но не пропущены через выходной слой "
                    "(proj_weight, proj_bias)",
                ),
            ]
            if heads > 1:
                variants.append(
                    (
                        {"split": "view"},
                        "головы нарезаны без transpose: reshape(B, n_head, T, d) смешивает "
                        "позиции с головами. Нужно view(B, T, n_head, d).transpose(1, 2)",
                    )
                )
                one_head = _mha_variant(x, weights, 1)
                if _close(got, one_head):
                    fail(
                        f"({inputs}) внимание посчитано одной головой на весь вектор: "
                        f"разрежьте его на n_head = {heads} кусков"
                    )
            for variant, message in variants:
                if _close(got, _mha_variant(x, weights, heads, **variant)):
                    fail(f"({inputs}) {message}")
        expect_tensor(got, expected.detach(), what="ответ", inputs=inputs)


# %% 3.2.3 Внимание нового символа с KV-кэшем


def _check_step_result(result, inputs, batch, heads, length, head_dim):
    if not isinstance(result, tuple) or len(result) != 3:
        fail(f"({inputs}) ожидалась тройка (y, cache_k, cache_v), получено {result!r:.80}")
    y, cache_k, cache_v = result
    for name, value, expected_len in (
        ("y", y, 1),
        ("cache_k", cache_k, length),
        ("cache_v", cache_v, length),
    ):
        expected_shape = (batch, heads, expected_len, head_dim)
        if not isinstance(value, torch.Tensor):
            fail(f"({inputs}) {name}: ожидался torch.Tensor, получен {type(value).__name__}")
        if tuple(value.shape) != expected_shape:
            hint = ""
            if name != "y" and value.shape[2] == length - 1:
                hint = ": ключ и значение нового символа нужно добавить в кэш (torch.cat по dim=2)"
            fail(
                f"({inputs}) {name}: ожидалась форма {expected_shape}, получена "
                f"{tuple(value.shape)}{hint}"
            )
    return y, cache_k, cache_v


def check_cached_attention_step(cached_attention_step):
    for batch, heads, steps, head_dim, dtype, seed in (
        (2, 3, 6, 4, torch.float32, 0),
        (1, 1, 4, 8, torch.float64, 10),
        (3, 2, 5, 2, torch.float32, 20),
    ):
        q_all = _randn((batch, heads, steps, head_dim), seed, dtype)
        k_all = _randn((batch, heads, steps, head_dim), seed + 1, dtype)
        v_all = _randn((batch, heads, steps, head_dim), seed + 2, dtype)
        full = F.scaled_dot_product_attention(q_all, k_all, v_all, is_causal=True)
        cache_k = torch.zeros(batch, heads, 0, head_dim, dtype=dtype)
        cache_v = torch.zeros(batch, heads, 0, head_dim, dtype=dtype)
        case = f"B={batch}, головы {heads}, d={head_dim}, {dtype}"
        answers = []
        for t in range(steps):
            inputs = f"{case}, символ №{t + 1}"
            q, k, v = (a[:, :, t : t + 1] for a in (q_all, k_all, v_all))
            old_k = cache_k
            result = call(cached_attention_step, q, k, v, cache_k, cache_v)
            y, cache_k, cache_v = _check_step_result(result, inputs, batch, heads, t + 1, head_dim)
            if t > 0 and _close(cache_k, torch.cat([k, old_k], dim=2)):
                fail(f"({inputs}) ключ нового символа добавлен в начало кэша, а нужно в конец")
            expect_tensor(cache_k, k_all[:, :, : t + 1], what="cache_k", inputs=inputs)
            expect_tensor(cache_v, v_all[:, :, : t + 1], what="cache_v", inputs=inputs)
            answers.append(y)
        # Ответы смотрим после всех символов: по одному ответу две разные ошибки неотличимы.
        later = range(1, steps)
        q_at = [q_all[:, :, t : t + 1] for t in range(steps)]
        first_key_only = [v_all[:, :, :1]] * steps
        past_only = [
            F.scaled_dot_product_attention(q_at[t], k_all[:, :, :t], v_all[:, :, :t])
            if t
            else v_all[:, :, :1]
            for t in range(steps)
        ]
        for wrong, message in (
            (
                first_key_only,
                "новый символ видит только первый ключ: is_causal=True при одном запросе "
                "и нескольких ключах выравнивает маску по левому верхнему углу. Новому "
                "символу можно смотреть на всё прошлое — маска не нужна",
            ),
            (
                past_only,
                "новый символ смотрит на прошлые символы, но не на себя: сначала добавьте "
                "его k и v в кэш, потом считайте внимание",
            ),
            (
                [v_all[:, :, t : t + 1] for t in range(steps)],
                "ответ равен значению самого нового символа: он смотрит только на себя, "
                "а должен — на весь кэш вместе с собой",
            ),
        ):
            if all(_close(answers[t], wrong[t]) for t in later):
                fail(f"({case}) {message}")
        for t, y in enumerate(answers):
            expect_tensor(y, full[:, :, t : t + 1], what="y", inputs=f"{case}, символ №{t + 1}")
