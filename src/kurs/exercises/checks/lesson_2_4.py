"""Проверки упражнений урока 2.4 «Рекуррентная сеть»."""

import torch
from torch import nn

from kurs.exercises.spec import call, expect_close, expect_tensor, fail


def _seeded(shape, seed: int, scale: float = 1.0, dtype=torch.float32) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return (torch.rand(shape, generator=gen, dtype=dtype) * 2 - 1) * scale


# %% 2.4.1 Ячейка LSTM руками


def _lstm_reference(x, h, c, w_ih, w_hh, b_ih, b_hh, order=(0, 1, 2, 3), tanh_c=True):
    """Шаг LSTM; order — какой блок весов считать вентилем i, f, g, o."""
    gates = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh
    chunks = gates.chunk(4, dim=1)
    i, f, g, o = (chunks[k] for k in order)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c_new = f * c + i * g
    h_new = o * (torch.tanh(c_new) if tanh_c else c_new)
    return h_new, c_new


def _lstm_case(batch: int, features: int, hidden: int, seed: int, dtype=torch.float32):
    cell = nn.LSTMCell(features, hidden).to(dtype)
    with torch.no_grad():
        for number, parameter in enumerate(cell.parameters()):
            parameter.copy_(_seeded(parameter.shape, seed * 10 + number, 0.8, dtype))
    x = _seeded((batch, features), seed * 10 + 5, 1.5, dtype)
    h = _seeded((batch, hidden), seed * 10 + 6, 0.9, dtype)
    c = _seeded((batch, hidden), seed * 10 + 7, 2.0, dtype)
    return cell, x, h, c


def _close(a, b) -> bool:
    return (
        isinstance(a, torch.Tensor)
        and a.shape == b.shape
        and torch.allclose(a.detach().double(), b.detach().double(), atol=1e-5, rtol=1e-4)
    )


def check_lstm_cell(lstm_cell):
    for batch, features, hidden, seed in ((2, 3, 4, 0), (1, 1, 1, 1), (5, 6, 3, 2)):
        cell, x, h, c = _lstm_case(batch, features, hidden, seed)
        weights = (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
        weights = tuple(w.detach().clone() for w in weights)
        inputs = f"батч {batch}, признаков {features}, скрытый размер {hidden}"
        result = call(lstm_cell, x, h, c, *weights)
        if not isinstance(result, tuple) or len(result) != 2:
            fail(f"({inputs}) функция должна вернуть пару (h_new, c_new), а вернула {result!r:.80}")
        got_h, got_c = result
        with torch.no_grad():
            expected_h, expected_c = cell(x, (h, c))
        if _close(got_h, expected_c) and _close(got_c, expected_h):
            fail(f"({inputs}) h_new и c_new перепутаны местами: верните (h_new, c_new)")
        for order, name in (((0, 1, 3, 2), "i, f, o, g"), ((1, 0, 2, 3), "f, i, g, o")):
            wrong_h, wrong_c = _lstm_reference(x, h, c, *weights, order=order)
            if _close(got_h, wrong_h) and _close(got_c, wrong_c):
                fail(
                    f"({inputs}) блоки весов разобраны в порядке {name}; у PyTorch строки "
                    "weight_ih и weight_hh идут в порядке i, f, g, o (вход, забывание, "
                    "кандидат, выход)"
                )
        if _close(got_c, expected_c):
            no_tanh_h, _ = _lstm_reference(x, h, c, *weights, tanh_c=False)
            if _close(got_h, no_tanh_h):
                fail(f"({inputs}) c_new верно, но h_new = o ⊙ c_new; нужно h_new = o ⊙ tanh(c_new)")
        expect_tensor(got_c, expected_c, what="c_new", inputs=inputs)
        expect_tensor(got_h, expected_h, what="h_new", inputs=inputs)
    # Градиент тоже должен проходить: ячейку учат обратным распространением.
    cell, x, h, c = _lstm_case(3, 2, 2, 5, dtype=torch.float64)
    x = x.requires_grad_()
    got_h, got_c = call(
        lstm_cell, x, h, c, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh
    )
    if not isinstance(got_h, torch.Tensor) or got_h.grad_fn is None:
        fail(
            "h_new не связан с входом x вычислительным графом: уберите torch.no_grad(), "
            "detach() и .item() — ячейку учат обратным распространением"
        )
    expect_tensor(got_h, cell(x, (h, c))[0], what="h_new (float64)", inputs="батч 3, float64")
    (grad_got,) = torch.autograd.grad((got_h.sum() + got_c.sum()), x)
    x_ref = x.detach().requires_grad_()
    ref_h, ref_c = cell(x_ref, (h, c))
    (grad_ref,) = torch.autograd.grad(ref_h.sum() + ref_c.sum(), x_ref)
    expect_tensor(grad_got, grad_ref, what="градиент по x", inputs="батч 3, float64")


# %% 2.4.2 Маска в функции потерь


def _padded_targets(lengths, classes: int, seed: int):
    gen = torch.Generator().manual_seed(seed)
    N, T = len(lengths), max(lengths)
    logits = torch.randn(N, T, classes, generator=gen) * 2
    # В дополнении — тоже допустимые номера классов: их нужно именно пропустить.
    targets = torch.randint(0, classes, (N, T), generator=gen)
    return logits, targets, torch.tensor(lengths, dtype=torch.int64)


def _mask(lengths, T):
    return torch.arange(T)[None, :] < lengths[:, None]


def _masked_reference(logits, targets, lengths):
    per_step = nn.functional.cross_entropy(logits.transpose(1, 2), targets, reduction="none")
    mask = _mask(lengths, logits.shape[1])
    return per_step[mask].mean()


def check_masked_cross_entropy(masked_cross_entropy):
    cases = (([4, 1, 3], 5, 0), ([2, 2], 3, 1), ([6, 2, 5, 1], 4, 2), ([3], 2, 3))
    for lengths, classes, seed in cases:
        logits, targets, lens = _padded_targets(lengths, classes, seed)
        logits = logits.requires_grad_()
        inputs = f"длины {lengths}, классов {classes}"
        got = call(masked_cross_entropy, logits, targets, lens)
        expected = _masked_reference(logits, targets, lens)
        if not isinstance(got, torch.Tensor) or got.dim() != 0:
            if isinstance(got, torch.Tensor):
                fail(
                    f"({inputs}) ожидалось одно число (тензор формы ()), "
                    f"получена форма {tuple(got.shape)}"
                )
            fail(f"({inputs}) ожидался тензор формы (), получен {type(got).__name__}")
        if len(set(lengths)) > 1 and not _close(got, expected):
            per_step = nn.functional.cross_entropy(
                logits.transpose(1, 2), targets, reduction="none"
            )
            mask = _mask(lens, logits.shape[1])
            everything = per_step.mean()
            per_sequence = torch.stack(
                [per_step[i, :length].mean() for i, length in enumerate(lengths)]
            ).mean()
            if _close(got, everything):
                fail(
                    f"({inputs}) вы усреднили потери по всем тактам, включая дополнение; "
                    f"ваш результат {got.item():.4f}, ожидалось {expected.item():.4f}"
                )
            if _close(got, per_sequence):
                fail(
                    f"({inputs}) вы усреднили каждую последовательность отдельно, а потом "
                    "средние: короткие последовательности получили тот же вес, что и длинные. "
                    "Усредняйте сразу по всем настоящим тактам батча"
                )
            if _close(got, per_step[mask].sum()):
                fail(f"({inputs}) это сумма потерь по настоящим тактам; нужно среднее")
        expect_close(got, expected.item(), what=f"потери ({inputs})", tol=1e-5)
        if got.grad_fn is None:
            fail(f"({inputs}) результат оторван от графа: градиент по логитам не посчитать")
        (grad_got,) = torch.autograd.grad(got, logits)
        (grad_ref,) = torch.autograd.grad(expected, logits)
        padding = ~_mask(lens, logits.shape[1])
        if padding.any() and grad_got[padding].abs().max() > 0:
            fail(f"({inputs}) градиент на тактах дополнения не нулевой: они влияют на обучение")
        expect_tensor(grad_got, grad_ref, what=f"градиент по логитам ({inputs})")


# %% 2.4.3 Обрезка градиента руками


def _parameters_with_grads(shapes, seed: int, scale: float):
    params = []
    for number, shape in enumerate(shapes):
        p = nn.Parameter(_seeded(shape, seed * 10 + number))
        p.grad = _seeded(shape, seed * 10 + number + 5, scale)
        params.append(p)
    return params


def _clip_case(shapes, seed, scale, max_norm, clip_fn, as_generator, none_grad=False):
    ours = _parameters_with_grads(shapes, seed, scale)
    reference = _parameters_with_grads(shapes, seed, scale)
    if none_grad:
        extra_ours, extra_ref = nn.Parameter(torch.ones(2)), nn.Parameter(torch.ones(2))
        ours.append(extra_ours)
        reference.append(extra_ref)
    expected_norm = nn.utils.clip_grad_norm_(reference, max_norm).item()
    argument = (p for p in ours) if as_generator else ours
    got_norm = call(clip_fn, argument, max_norm)
    return ours, reference, got_norm, expected_norm


def check_clip_gradients(clip_gradients):
    shapes = [(3, 4), (4,), (2, 2)]
    cases = (
        ("норма около 10 больше порога 1", 0, 4.0, 1.0, False),
        ("норма больше порога 0.5, параметры — генератор", 1, 3.0, 0.5, True),
        ("норма меньше порога 100", 2, 1.0, 100.0, False),
    )
    for label, seed, scale, max_norm, as_generator in cases:
        ours, reference, got_norm, expected_norm = _clip_case(
            shapes, seed, scale, max_norm, clip_gradients, as_generator
        )
        if isinstance(got_norm, torch.Tensor) and got_norm.numel() == 1:
            got_norm = got_norm.item()
        if as_generator and all(
            torch.equal(p.grad, _seeded(p.shape, seed * 10 + n + 5, scale))
            for n, p in enumerate(ours)
        ):
            fail(
                f"({label}) градиенты не изменились. parameters может быть генератором "
                "(как model.parameters()), а его можно пройти только один раз: сначала "
                "сделайте из него список, params = list(parameters)"
            )
        expect_close(got_norm, expected_norm, what=f"норма до обрезки ({label})", tol=1e-5)
        before = [_seeded(p.shape, seed * 10 + n + 5, scale) for n, p in enumerate(ours)]
        if expected_norm > max_norm:
            if all(torch.equal(p.grad, b) for p, b in zip(ours, before, strict=True)):
                fail(
                    f"({label}) градиенты параметров не изменились: их нужно уменьшить "
                    "на месте (p.grad.mul_(…)), а не создавать новые тензоры"
                )
            separately = all(
                torch.allclose(p.grad.norm(), torch.tensor(min(max_norm, b.norm().item())))
                for p, b in zip(ours, before, strict=True)
            )
            if separately:
                fail(
                    f"({label}) вы обрезали каждый параметр отдельно до нормы {max_norm}; "
                    "нужна общая норма всех градиентов и один общий множитель для всех"
                )
        else:
            changed = [
                n
                for n, (p, b) in enumerate(zip(ours, before, strict=True))
                if not torch.equal(p.grad, b)
            ]
            if changed:
                fail(
                    f"({label}) норма не больше порога, и градиенты должны остаться как были, "
                    "а у вас изменились градиенты параметров №"
                    + ", ".join(str(n + 1) for n in changed)
                )
        for number, (p, r) in enumerate(zip(ours, reference, strict=True), start=1):
            expect_tensor(p.grad, r.grad, what=f"градиент параметра №{number} ({label})")
        for p, r in zip(ours, reference, strict=True):
            if not torch.equal(p.detach(), r.detach()):
                fail(f"({label}) сами параметры изменились; менять нужно только их градиенты")
    # Параметр без градиента (p.grad is None) пропускается, как в clip_grad_norm_.
    ours, reference, got_norm, expected_norm = _clip_case(
        shapes, 3, 5.0, 1.0, clip_gradients, False, none_grad=True
    )
    label = "у последнего параметра grad = None"
    if isinstance(got_norm, torch.Tensor) and got_norm.numel() == 1:
        got_norm = got_norm.item()
    expect_close(got_norm, expected_norm, what=f"норма до обрезки ({label})", tol=1e-5)
    if ours[-1].grad is not None:
        fail(f"({label}) у параметра без градиента появился градиент; такие нужно пропускать")
    for number, (p, r) in enumerate(zip(ours[:-1], reference[:-1], strict=True), start=1):
        expect_tensor(p.grad, r.grad, what=f"градиент параметра №{number} ({label})")
