"""Проверки упражнений урока 2.5 «Двунаправленная сеть»."""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from kurs.exercises.spec import call, expect_tensor, fail

PAD = -7.0  # дополнение в проверках — не нули, чтобы перепутанные шаги было видно


def _padded_batch(lengths: list[int], features: int, seed: int, dtype=torch.float32):
    """Батч (N, T, F): настоящие шаги случайные, хвост после длины заполнен PAD."""
    gen = torch.Generator().manual_seed(seed)
    T = max(lengths)
    x = torch.randn(len(lengths), T, features, generator=gen, dtype=dtype)
    for i, length in enumerate(lengths):
        x[i, length:] = PAD
    return x, torch.tensor(lengths, dtype=torch.int64)


def _reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    result = x.clone()
    for i, length in enumerate(lengths.tolist()):
        result[i, :length] = x[i, :length].flip(0)
    return result


def _describe(lengths: torch.Tensor, features: int) -> str:
    return f"N={len(lengths)}, T={int(lengths.max())}, F={features}, длины {lengths.tolist()}"


def check_reverse_padded(reverse_padded):
    cases = [([3, 1, 2], 2, 0), ([5], 1, 1), ([4, 4], 3, 2), ([6, 2, 5, 1], 4, 3)]
    for lengths, features, seed in cases:
        x, lens = _padded_batch(lengths, features, seed)
        inputs = _describe(lens, features) + f", дополнение заполнено числом {PAD:g}"
        got = call(reverse_padded, x, lens)
        expected = _reverse_padded(x, lens)
        if isinstance(got, torch.Tensor) and got.shape == expected.shape:
            if torch.equal(got, x.flip(1)) and not torch.equal(x.flip(1), expected):
                fail(
                    f"({inputs}) вы перевернули строки целиком, вместе с дополнением: у коротких "
                    "последовательностей значения дополнения оказались в начале. Переворачивать "
                    "нужно только первые lengths[i] шагов"
                )
            same_real = all(
                torch.equal(got[i, :length], expected[i, :length])
                for i, length in enumerate(lengths)
            )
            if same_real and not torch.equal(got, expected):
                fail(
                    f"({inputs}) настоящие шаги перевёрнуты верно, но хвост дополнения "
                    "изменился; он должен остаться таким, каким был во входе"
                )
        expect_tensor(got, expected, what="перевёрнутый батч", inputs=inputs)
    # Одна длина на весь батч — это обычный flip(1), и тип данных должен сохраниться.
    x, lens = _padded_batch([3, 3], 2, 4, dtype=torch.float64)
    expect_tensor(
        call(reverse_padded, x, lens),
        x.flip(1),
        what="перевёрнутый батч",
        inputs="две последовательности длины 3, float64",
    )


def _seeded_lstm(features: int, hidden: int, seed: int, bidirectional: bool) -> nn.LSTM:
    """LSTM с весами из своего генератора: вердикт не зависит от глобального зерна."""
    lstm = nn.LSTM(features, hidden, batch_first=True, bidirectional=bidirectional)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in lstm.parameters():
            parameter.copy_(torch.rand(parameter.shape, generator=gen) - 0.5)
    return lstm


def _split(bi: nn.LSTM) -> tuple[nn.LSTM, nn.LSTM]:
    """Две однонаправленные LSTM с весами прямого и обратного направлений bi."""
    weights = bi.state_dict()
    forward = nn.LSTM(bi.input_size, bi.hidden_size, batch_first=True)
    backward = nn.LSTM(bi.input_size, bi.hidden_size, batch_first=True)
    forward.load_state_dict({name: weights[name] for name in forward.state_dict()})
    backward.load_state_dict({name: weights[f"{name}_reverse"] for name in backward.state_dict()})
    return forward, backward


def _packed_bi(bi: nn.LSTM, x: torch.Tensor, lengths: torch.Tensor):
    """Эталон: выход (N, T, 2H) и h_n упакованной двунаправленной LSTM."""
    with torch.no_grad():
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, (h_n, _) = bi(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
    return out, h_n


def check_bidirectional_output(bidirectional_output):
    cases = [([4, 2, 3], 2, 3, 0), ([5], 1, 2, 1), ([3, 3], 3, 4, 2), ([6, 1, 4, 5], 2, 3, 3)]
    for lengths, features, hidden, seed in cases:
        x, lens = _padded_batch(lengths, features, seed)
        bi = _seeded_lstm(features, hidden, 100 + seed, bidirectional=True)
        forward, backward = _split(bi)
        expected, _ = _packed_bi(bi, x, lens)
        H = hidden
        inputs = _describe(lens, features) + f", H={hidden}"
        with torch.no_grad():
            got = call(bidirectional_output, x, lens, forward, backward)
        if not isinstance(got, torch.Tensor) or got.shape != expected.shape:
            expect_tensor(got, expected, what="выход", inputs=inputs)
        got = got.detach()
        real = torch.arange(x.shape[1])[None, :] < lens[:, None]  # (N, T): настоящие шаги
        if not torch.allclose(got[real], expected[real], atol=1e-5):
            swapped = torch.cat([got[..., H:], got[..., :H]], dim=2)
            if torch.allclose(swapped[real], expected[real], atol=1e-5):
                fail(
                    f"({inputs}) половины выхода переставлены: сначала идёт прямое "
                    "направление (output[..., :H]), потом обратное (output[..., H:])"
                )
            if not torch.allclose(got[..., :H][real], expected[..., :H][real], atol=1e-5):
                fail(f"({inputs}) прямая половина выхода (первые H чисел) неверна")
            backward_got = got[..., H:]
            if torch.allclose(
                _reverse_padded(backward_got, lens)[real], expected[..., H:][real], atol=1e-5
            ):
                fail(
                    f"({inputs}) обратная половина идёт в перевёрнутом порядке шагов: выход "
                    "обратной LSTM нужно перевернуть обратно (в пределах длины)"
                )
            with torch.no_grad():
                naive = backward(x.flip(1))[0].flip(1)
            if torch.allclose(backward_got[real], naive[real], atol=1e-5):
                fail(
                    f"({inputs}) обратная LSTM начинала чтение с дополнения: вы перевернули "
                    "строки целиком. Переверните только первые lengths[i] шагов"
                )
            with torch.no_grad():
                unflipped = backward(x)[0]
            if torch.allclose(backward_got[real], unflipped[real], atol=1e-5):
                fail(
                    f"({inputs}) обратная LSTM прочла последовательность слева направо; "
                    "подайте ей перевёрнутую последовательность"
                )
            expect_tensor(got, expected, what="выход на настоящих шагах", inputs=inputs)
        if not torch.equal(got[~real], torch.zeros_like(got[~real])):
            fail(
                f"({inputs}) на шагах дополнения выход должен быть нулём, как у "
                "pad_packed_sequence; у вас там другие числа"
            )
        expect_tensor(got, expected, what="выход", inputs=inputs)


def check_final_states(final_states):
    cases = [([4, 2, 3], 2, 3, 0), ([5], 1, 2, 1), ([3, 3], 3, 4, 2), ([6, 1, 4, 5], 2, 3, 3)]
    for lengths, features, hidden, seed in cases:
        x, lens = _padded_batch(lengths, features, seed)
        bi = _seeded_lstm(features, hidden, 200 + seed, bidirectional=True)
        output, h_n = _packed_bi(bi, x, lens)
        expected = torch.cat([h_n[-2], h_n[-1]], dim=1)  # итог вперёд, итог назад
        H = hidden
        inputs = _describe(lens, features) + f", H={hidden}"
        got = call(final_states, output, lens)
        if isinstance(got, torch.Tensor) and got.shape == expected.shape:
            got = got.detach()
            rows = torch.arange(len(lens))
            if not torch.allclose(got[:, H:], expected[:, H:], atol=1e-6):
                if torch.allclose(got[:, H:], output[rows, lens - 1, H:], atol=1e-6):
                    fail(
                        f"({inputs}) обратная половина взята с последнего настоящего шага: "
                        "там обратное направление прочло лишь один элемент. Его итог — на "
                        "шаге 0: output[:, 0, H:]"
                    )
                if torch.allclose(got[:, H:], output[:, -1, H:], atol=1e-6):
                    fail(
                        f"({inputs}) обратная половина взята с шага T − 1 — там обратное "
                        "направление только начинало чтение (или стоят нули дополнения). "
                        "Его итог — на шаге 0: output[:, 0, H:]"
                    )
            if not torch.allclose(got[:, :H], expected[:, :H], atol=1e-6) and torch.allclose(
                got[:, :H], output[:, -1, :H], atol=1e-6
            ):
                fail(
                    f"({inputs}) прямая половина взята с шага T − 1: у последовательностей "
                    "короче T там нули дополнения. Берите шаг lengths[i] − 1"
                )
        expect_tensor(
            got, expected, what="итоговые состояния (h_n[-2] и h_n[-1] подряд)", inputs=inputs
        )
