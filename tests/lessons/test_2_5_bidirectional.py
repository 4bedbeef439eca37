"""Урок 2.5 (lessons/02_nachalnyi/05_bidirectional.py): двунаправленная LSTM.

Форма выхода и h_n, где какое направление, упаковка последовательностей разной длины,
разметка, где будущее помогает, и предсказание следующего элемента, где оно — жульничество.
"""

import itertools

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("2.5")


def test_output_and_hidden_shapes(ns):
    lstm, x = ns["demo_lstm"], ns["demo_x"]
    N, T, H, layers = ns["demo_batch"], ns["demo_len"], ns["demo_hidden"], ns["demo_layers"]
    assert lstm.bidirectional and lstm.num_layers == layers == 2
    assert x.shape == (N, T, ns["demo_input"])
    assert ns["demo_out"].shape == (N, T, 2 * H)
    assert ns["demo_h"].shape == ns["demo_c"].shape == (2 * layers, N, H)
    # Пересчитываем сами: у двух слоёв по два набора весов, обратный — с суффиксом _reverse.
    with torch.no_grad():
        out, (h, _) = lstm(x)
    assert torch.equal(out, ns["demo_out"]) and torch.equal(h, ns["demo_h"])
    names = ns["demo_param_names"]
    assert "weight_ih_l1_reverse" in names and "weight_hh_l0" in names and len(names) == 16


def test_halves_layout_in_output_and_h_n(ns):
    H, out, h = ns["demo_hidden"], ns["demo_out"], ns["demo_h"]
    assert ns["forward_final_matches"] is True and ns["backward_final_matches"] is True
    by_layer = h.view(ns["demo_layers"], 2, ns["demo_batch"], H)
    assert torch.equal(by_layer[-1, 0], out[:, -1, :H])  # прямое кончает на последнем шаге
    assert torch.equal(by_layer[-1, 1], out[:, 0, H:])  # обратное — на первом
    # А «очевидное» место для итога обратного направления — не то.
    assert not torch.allclose(by_layer[-1, 1], out[:, -1, H:])
    # h_n[-2] и h_n[-1] — то же самое без view.
    assert torch.equal(h[-2], out[:, -1, :H]) and torch.equal(h[-1], out[:, 0, H:])


def test_backward_direction_is_lstm_on_flipped_sequence(ns):
    assert ns["manual_error"] < 1e-6
    bi, x, H = ns["bi_lstm"], ns["demo_x"], ns["demo_hidden"]
    # Своя проверка: обычная LSTM с весами *_reverse на перевёрнутом входе.
    weights = bi.state_dict()
    backward = nn.LSTM(x.shape[2], H, batch_first=True)
    backward.load_state_dict({name: weights[f"{name}_reverse"] for name in backward.state_dict()})
    with torch.no_grad():
        expected, _ = bi(x)
        got, _ = backward(x.flip(1))
        # Обратная половина на последнем шаге видела только последний элемент.
        tail, _ = backward(x[:, -1:])
    assert torch.allclose(got.flip(1), expected[:, :, H:], atol=1e-6)
    assert torch.allclose(tail[:, 0], expected[:, -1, H:], atol=1e-6)
    assert ns["last_step_backward_saw_one"] is True


def test_packing_fixes_backward_direction_on_padded_batch(ns):
    assert ns["naive_forward_ok"] is True
    assert ns["naive_backward_ok"] is False
    assert ns["packed_ok"] is True
    assert ns["unpacked_lengths"].tolist() == [5, 3, 2]
    # Своя проверка на каждой последовательности батча.
    bi, sequences, H = ns["bi_lstm"], ns["sequences"], ns["demo_hidden"]
    lengths = torch.tensor([len(s) for s in sequences])
    padded = pad_sequence(sequences, batch_first=True)
    with torch.no_grad():
        packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
        out, _ = pad_packed_sequence(bi(packed)[0], batch_first=True)
        naive, _ = bi(padded)
        for i, sequence in enumerate(sequences):
            alone, _ = bi(sequence.unsqueeze(0))
            n = len(sequence)
            assert torch.allclose(out[i, :n], alone[0], atol=1e-6)
            assert torch.allclose(naive[i, :n, :H], alone[0, :, :H], atol=1e-6)
            if n < padded.shape[1]:  # нули в хвосте портят обратное направление
                assert not torch.allclose(naive[i, :n, H:], alone[0, :, H:], atol=1e-4)


def test_tagging_data_and_unidirectional_ceiling(ns):
    X, y = ns["X_tag_test"].cpu(), ns["y_tag_test"].cpu()
    k, T = ns["window"], ns["seq_len"]
    assert X.shape == (ns["num_test"], T, 1) and y.shape == (ns["num_test"], T - 2 * k)
    assert set(X.unique().tolist()) == {-1.0, 1.0}
    # Метка — знак суммы окна из 2k + 1 элементов вокруг позиции.
    x = X[:, :, 0]
    for t in range(k, T - k):
        assert torch.equal(y[:, t - k], (x[:, t - k : t + k + 1].sum(dim=1) > 0).long())
    # Потолок 13/16 = 0.8125 — перебор всех окон, и он же на тестовых данных.
    assert ns["uni_ceiling"] == pytest.approx(13 / 16)
    windows = torch.tensor(list(itertools.product([-1.0, 1.0], repeat=2 * k + 1)))
    assert len(windows) == 32
    seen = x.unfold(1, 2 * k + 1, 1)[:, :, : k + 1].sum(dim=2)
    empirical = ((seen > 0).long() == y).float().mean().item()
    assert empirical == pytest.approx(13 / 16, abs=0.015)


def test_bidirectional_beats_unidirectional_on_tagging(ns):
    uni, bi = ns["uni_tagger"], ns["bi_tagger"]
    assert not uni.rnn.bidirectional and bi.rnn.bidirectional
    # У однонаправленной параметров не меньше: выигрыш — не от размера.
    assert ns["num_params"](uni) >= ns["num_params"](bi)
    X, y = ns["X_tag_test"].cpu(), ns["y_tag_test"].cpu()
    accuracies = {}
    for name, model in (("uni", uni), ("bi", bi)):
        model = model.cpu().eval()
        with torch.no_grad():
            accuracies[name] = (model(X).argmax(dim=2) == y).float().mean().item()
    assert ns["uni_accuracy"] == pytest.approx(accuracies["uni"], abs=1e-6)
    assert ns["bi_accuracy"] == pytest.approx(accuracies["bi"], abs=1e-6)
    # Однонаправленная упирается в потолок, двунаправленная почти безошибочна.
    assert ns["uni_accuracy"] <= ns["uni_ceiling"] + 0.015
    assert ns["uni_accuracy"] >= ns["uni_ceiling"] - 0.05  # она обучилась, а не сдалась
    assert ns["bi_accuracy"] >= 0.97
    assert ns["bi_accuracy"] - ns["uni_accuracy"] >= 0.15
    assert len(ns["uni_curve"]) == len(ns["bi_curve"]) == ns["num_steps"] // 20
    assert ns["bi_curve"][-1] == pytest.approx(ns["bi_accuracy"], abs=1e-6)


def test_next_digit_cheating(ns):
    uni, bi = ns["uni_lm"].cpu(), ns["bi_lm"].cpu()
    tokens = ns["digits_test"].cpu()
    chance = 1 / ns["vocab_size"]
    # Случайные цифры: честная модель угадывает около 10 %, а её потери ≈ ln 10.
    assert ns["uni_lm_accuracy"] <= chance + 0.05
    assert ns["uni_lm_loss"] > 2.1
    # Двунаправленная «угадывает» почти всё, видя продолжение.
    assert ns["bi_lm_accuracy"] >= 0.9 and ns["bi_lm_loss"] < 0.5
    for model, reported in ((uni, ns["uni_lm_accuracy"]), (bi, ns["bi_lm_accuracy"])):
        with torch.no_grad():
            guessed = model.eval()(tokens)[:, :-1].argmax(dim=2) == tokens[:, 1:]
        assert reported == pytest.approx(guessed.float().mean().item(), abs=1e-6)
    # Как при генерации (только начало) — обе на уровне случайного угадывания.
    assert ns["bi_prefix_accuracy"] <= chance + 0.05
    assert ns["uni_prefix_accuracy"] <= chance + 0.05
    assert ns["bi_lm_accuracy"] - ns["bi_prefix_accuracy"] >= 0.8
    assert ns["uni_prefix_accuracy"] == pytest.approx(ns["uni_lm_accuracy"], abs=1e-6)


def test_causality_changing_future_digits(ns):
    assert ns["uni_is_causal"] is True and ns["bi_is_causal"] is False
    uni, bi = ns["uni_lm"].cpu().eval(), ns["bi_lm"].cpu().eval()
    tokens = ns["digits_test"][:50].cpu()
    changed = tokens.clone()
    changed[:, 12:] = (changed[:, 12:] + 1) % ns["vocab_size"]  # меняем только будущее
    with torch.no_grad():
        assert torch.allclose(uni(tokens)[:, :12], uni(changed)[:, :12], atol=1e-5)
        # Двунаправленная на шаге 11 отвечает цифрой с шага 12 — значит, видит её.
        before, after = bi(tokens)[:, 11].argmax(dim=1), bi(changed)[:, 11].argmax(dim=1)
    assert (before == tokens[:, 12]).float().mean() >= 0.9
    assert (after == changed[:, 12]).float().mean() >= 0.9


def test_figures_saved(run):
    for name in ("bidirectional_tagging", "bidirectional_cheating"):
        figure = run.out / f"{name}.png"
        assert figure.is_file() and figure.stat().st_size > 10_000
