"""Проверки упражнений урока 1.2 «Операции над тензорами»."""

import math

import torch

from kurs.exercises.spec import call, expect_tensor, fail


def _randn(shape, seed, dtype=torch.float32):
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def _close(got, expected):
    return (
        isinstance(got, torch.Tensor)
        and got.shape == expected.shape
        and torch.allclose(got.detach().double(), expected.double(), atol=1e-4, rtol=1e-4)
    )


# ---------------------------------------------------------------- 1.2.1 нормировка


def _normalize_reference(x, eps, correction=0):
    x64 = x.double()
    mean = x64.mean(dim=-1, keepdim=True)
    var = x64.var(dim=-1, keepdim=True, correction=correction)
    return ((x64 - mean) / torch.sqrt(var + eps)).to(x.dtype)


def check_normalize_last(normalize_last):
    x = torch.tensor([[1.0, 2.0, 3.0], [2.0, 2.0, 2.0]])
    expected = _normalize_reference(x, 1e-5)
    got = call(normalize_last, x)
    if _close(got, _normalize_reference(x, 1e-5, correction=1)):
        fail(
            "normalize_last([[1, 2, 3], [2, 2, 2]]): вы делите на несмещённую дисперсию "
            "(на D − 1); по условию нужна смещённая — делите на D (correction=0)"
        )
    expect_tensor(got, expected, what="normalize_last([[1, 2, 3], [2, 2, 2]])")
    cases = [((4,), 1e-5), ((3, 5), 1e-5), ((4, 4), 1e-5), ((2, 3, 6), 1e-5), ((5, 1), 1e-5)]
    cases.append(((3, 4), 0.5))
    for seed, (shape, eps) in enumerate(cases):
        x = _randn(shape, seed) * 3 + 1
        expect_tensor(
            call(normalize_last, x, eps),
            _normalize_reference(x, eps),
            what="нормированный тензор",
            inputs=f"форма {shape}, eps={eps}, зерно {seed}",
        )


# ---------------------------------------------------------------- 1.2.2 расстояния


def _distances_reference(a, b):
    diff = a.double()[:, None, :] - b.double()[None, :, :]
    return diff.pow(2).sum(-1).sqrt().to(a.dtype)


def check_pairwise_distances(pairwise_distances):
    a = torch.tensor([[0.0, 0.0], [3.0, 4.0]])
    b = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    expect_tensor(
        call(pairwise_distances, a, b),
        _distances_reference(a, b),
        what="расстояния",
        inputs="a = [[0, 0], [3, 4]], b = [[0, 0], [1, 0], [0, 2]]",
    )
    # (N, M, D); N == M ловит вычитание a − b без расширения осей.
    for seed, (n, m, d) in enumerate([(1, 1, 1), (3, 4, 2), (5, 2, 3), (4, 4, 3), (7, 3, 5)]):
        gen = torch.Generator().manual_seed(seed)
        a, b = torch.randn(n, d, generator=gen), torch.randn(m, d, generator=gen)
        expect_tensor(
            call(pairwise_distances, a, b),
            _distances_reference(a, b),
            what="расстояния",
            inputs=f"a формы {(n, d)}, b формы {(m, d)}, зерно {seed}",
        )


# ---------------------------------------------------------------- 1.2.3 пропуски


def _fill_reference(x):
    return torch.where(torch.isnan(x), torch.nanmean(x, dim=0), x)


def check_fill_missing(fill_missing):
    nan = float("nan")
    x = torch.tensor([[1.0, nan, nan], [3.0, 4.0, nan], [nan, 8.0, nan]])
    expect_tensor(
        call(fill_missing, x),
        _fill_reference(x),
        what="заполненная таблица",
        inputs="x = [[1, nan, nan], [3, 4, nan], [nan, 8, nan]]",
    )
    for seed, shape in enumerate([(5, 3), (1, 4), (6, 6), (4, 1), (8, 5)]):
        gen = torch.Generator().manual_seed(seed)
        x = torch.randn(shape, generator=gen) * 2 + 5
        missing = torch.rand(shape, generator=gen) < 0.3
        if seed == 4:
            missing[:, 2] = True  # столбец без единого числа
        x[missing] = nan
        expect_tensor(
            call(fill_missing, x),
            _fill_reference(x),
            what="заполненная таблица",
            inputs=f"форма {shape}, пропусков {int(missing.sum())}, зерно {seed}",
        )


# ---------------------------------------------------------------- 1.2.4 einsum


def _scores_reference(q, k, scale=True):
    scores = torch.einsum("btd,bsd->bts", q.double(), k.double())
    if scale:
        scores = scores / math.sqrt(q.shape[-1])
    return scores.to(q.dtype)


def check_attention_scores(attention_scores):
    q = torch.tensor([[[1.0, 0.0], [0.0, 1.0]]])
    k = torch.tensor([[[1.0, 1.0], [2.0, 0.0], [0.0, 3.0]]])
    got = call(attention_scores, q, k)
    if _close(got, _scores_reference(q, k, scale=False)):
        fail("оценки не поделены на sqrt(D): для D = 2 каждая должна быть в √2 раз меньше")
    expect_tensor(
        got,
        _scores_reference(q, k),
        what="оценки",
        inputs="q = [[[1, 0], [0, 1]]], k = [[[1, 1], [2, 0], [0, 3]]]",
    )
    # (B, T, S, D); T == S ловит перепутанные оси t и s.
    for seed, (b, t, s, d) in enumerate([(1, 1, 1, 1), (2, 3, 4, 5), (2, 3, 3, 4), (1, 5, 1, 8)]):
        gen = torch.Generator().manual_seed(seed)
        q, k = torch.randn(b, t, d, generator=gen), torch.randn(b, s, d, generator=gen)
        expect_tensor(
            call(attention_scores, q, k),
            _scores_reference(q, k),
            what="оценки",
            inputs=f"q формы {(b, t, d)}, k формы {(b, s, d)}, зерно {seed}",
        )
