"""Урок 2.4 (lessons/02_nachalnyi/04_rnn.py): RNN, LSTM, GRU, упаковка, скобки, строки цифр."""

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

from kurs.catalog import find_lesson


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("2.4")


def test_rnn_step_by_hand_matches_nn_rnn(run, ns):
    assert ns["rnn_by_hand_error"] < 1e-6
    assert tuple(ns["manual_output"].shape) == (2, 4, 5)
    # h_n не подчиняется batch_first: (слои, батч, скрытый размер).
    assert tuple(ns["h_n"].shape) == (1, 2, 5)
    assert ns["last_step_is_h_n"] is True


def test_shapes_and_parameter_counts_of_rnn_gru_lstm(run, ns):
    shapes, counts = ns["recurrent_shapes"], ns["recurrent_parameters"]
    for name in ("RNN", "GRU", "LSTM"):
        assert shapes[name][0] == (2, 4, 5)
    assert shapes["RNN"][1] == [(2, 2, 5)] and shapes["GRU"][1] == [(2, 2, 5)]
    assert shapes["LSTM"][1] == [(2, 2, 5), (2, 2, 5)]  # (h_n, c_n)
    # k·H·(I + H) + 2·k·H на слой; второй слой получает I = H.
    per_block = 5 * (3 + 5) + 2 * 5 + 5 * (5 + 5) + 2 * 5
    assert counts == {"RNN": per_block, "GRU": 3 * per_block, "LSTM": 4 * per_block}
    for name, blocks in ns["layer_blocks"].items():
        layer = getattr(nn, name)(3, 5, num_layers=2)
        assert sum(p.numel() for p in layer.parameters()) == blocks * per_block


def test_lstm_cell_state_passes_through_when_forget_gate_is_open():
    # «если вентиль забывания близок к 1 (а входной к 0), c_{t−1} проходит в c_t почти без
    # изменений»: ∂c_t/∂c_{t−1} = f_t.
    torch.manual_seed(0)
    cell = nn.LSTMCell(3, 4)
    with torch.no_grad():
        cell.bias_ih.zero_()
        cell.bias_hh.zero_()
        cell.bias_ih[4:8] = 20.0  # f ≈ 1
        cell.bias_ih[0:4] = -20.0  # i ≈ 0
    x, h = torch.randn(2, 3), torch.randn(2, 4)
    c = torch.randn(2, 4, requires_grad=True)
    _, c_new = cell(x, (h, c))
    assert torch.allclose(c_new, c, atol=1e-6)
    (grad,) = torch.autograd.grad(c_new.sum(), c)
    assert torch.allclose(grad, torch.ones_like(grad), atol=1e-6)


def test_padding_spoils_state_and_packing_fixes_it(run, ns):
    errors = ns["padding_errors"]
    assert errors[0].item() == 0.0  # у самой длинной последовательности нет добавки
    assert (errors[1:] > 0.01).all()
    assert ns["packing_error"] < 1e-6
    assert ns["unpacked_lengths"].tolist() == [5, 2, 3]
    unpacked = ns["unpacked"]
    assert unpacked[1, 2:].abs().sum().item() == 0.0 and unpacked[2, 3:].abs().sum().item() == 0.0

    # Повторяем опыт на своей сети: добавка портит, упаковка — нет.
    torch.manual_seed(1)
    lstm = nn.LSTM(2, 3, batch_first=True)
    seqs = [torch.randn(n, 2) for n in (6, 1, 4)]
    lengths = torch.tensor([6, 1, 4])
    with torch.no_grad():
        alone = torch.cat([lstm(s.unsqueeze(0))[1][0] for s in seqs], dim=1)
        _, (h_padded, _) = lstm(pad_sequence(seqs, batch_first=True))
        packed = pack_padded_sequence(
            pad_sequence(seqs, batch_first=True), lengths, batch_first=True, enforce_sorted=False
        )
        _, (h_packed, _) = lstm(packed)
    assert (h_padded - alone).abs().max() > 0.01
    assert torch.allclose(h_packed, alone, atol=1e-6)


def test_bracket_data_differs_only_in_order(run, ns):
    is_balanced = ns["is_balanced"]
    for examples, size in ((ns["bracket_train"], 2000), (ns["bracket_test"], 1000)):
        assert len(examples) == size
        labels = [label for _, label in examples]
        assert sum(labels) == size / 2
        for tokens, label in examples:
            values = tokens.tolist()
            assert 4 <= len(values) <= 2 * ns["bracket_max_pairs"]
            assert values.count(0) == values.count(1)  # скобок поровну в каждой строке
            # Метка — правда о строке, проверенная независимо от урока.
            depth, ok = 0, True
            for token in values:
                depth += 1 if token == 0 else -1
                ok = ok and depth >= 0
            assert (ok and depth == 0) == bool(label) == is_balanced(values)


def test_recurrent_nets_solve_brackets_and_bag_cannot(run, ns):
    accuracies = ns["bracket_accuracies"]
    for name in ("RNN", "LSTM", "GRU"):
        assert accuracies[name] >= 0.95, name
    assert accuracies["мешок символов"] == 0.5
    for curve in ns["bracket_curves"].values():
        assert len(curve) == ns["bracket_epochs"]
    # Почему мешок обречён: средний эмбеддинг одинаков у любых двух строк.
    bag = ns["BagOfTokens"](4)
    tokens, lengths, _ = ns["collate_brackets"](ns["bracket_test"][:50])
    with torch.no_grad():
        outputs = bag(tokens, lengths)
    assert torch.allclose(outputs, outputs[0].expand_as(outputs), atol=1e-6)


def test_row_lstm_accuracy_and_loss(run, ns):
    assert isinstance(ns["model"].lstm, nn.LSTM)
    assert ns["model"].lstm.input_size == 28 and ns["model"].lstm.hidden_size == 128
    losses = ns["train_losses"]
    assert len(losses) == ns["num_epochs"] and losses[-1] < 0.5 * losses[0]
    # OneCycle: скорость обучения поднялась до lr и к концу опустилась почти до нуля.
    scheduler = ns["scheduler"]
    assert scheduler.get_last_lr()[0] < 0.01 * ns["lr"]
    assert ns["optimizer"].param_groups[0]["max_lr"] == ns["lr"]
    # Быстрый режим — две эпохи; цель 0.94 — для полного прогона (bench/lessons.py).
    assert ns["test_accuracy"] >= 0.85
    lesson = find_lesson("rnn")
    assert lesson.metric == "test_accuracy" and lesson.target == 0.94
    assert find_lesson("cnn").target == 0.98  # «планка повыше — 98%»
    # Сообщённая доля верных ответов пересчитывается по самой модели.
    model = ns["model"].cpu().eval()
    correct = 0
    with torch.no_grad():
        for X, y in ns["test_loader"]:
            correct += (model(X).argmax(dim=1) == y).sum().item()
    assert correct / 1000 == pytest.approx(ns["test_accuracy"], abs=1e-9)
    assert ns["accuracy_after_rows"][-1] == pytest.approx(ns["test_accuracy"], abs=1e-6)
    # «после 21 строки из 28 сеть отвечает верно реже, чем в половине случаев»
    assert ns["accuracy_after_rows"][20] < 0.5


def test_rows_are_read_top_to_bottom(run, ns):
    images = torch.arange(2 * 28 * 28, dtype=torch.float32).view(2, 1, 28, 28)
    rows = images.permute(0, 2, 1, 3).flatten(2)
    assert tuple(rows.shape) == (2, 28, 28) and torch.equal(rows[0, 3], images[0, 0, 3])
    # Ответ после строки k не зависит от строк ниже неё.
    model = ns["model"].cpu().eval()
    X = next(iter(ns["test_loader"]))[0][:8]
    changed = X.clone()
    changed[:, :, 20:] = 0
    with torch.no_grad():
        a, b = model(X, every_row=True), model(changed, every_row=True)
    assert torch.allclose(a[:, :20], b[:, :20], atol=1e-6)
    assert not torch.allclose(a[:, -1], b[:, -1])


def test_gradients_explode_only_with_large_recurrent_weights(run, ns):
    norms = ns["explode_norms"]
    default, big = norms["по умолчанию"], norms["gain = 3"]
    assert default[-1] <= default[0]  # по умолчанию градиент с длиной не растёт
    assert all(later > earlier for earlier, later in zip(big[:-1], big[1:], strict=True))
    assert big[-1] / big[0] > 1e6


def test_clip_grad_norm_rescales_and_bounds_the_step(run, ns):
    no_clip, with_clip = ns["no_clip"], ns["with_clip"]
    assert no_clip["norm"] == with_clip["norm"] > 1e6
    assert no_clip["norm_after"] == pytest.approx(no_clip["norm"], rel=1e-6)
    assert with_clip["norm_after"] == pytest.approx(ns["max_norm"], rel=1e-4)
    assert with_clip["cosine"] > 0.9999  # направление не изменилось
    assert no_clip["step"] == pytest.approx(0.05 * no_clip["norm"], rel=1e-3)
    assert with_clip["step"] == pytest.approx(0.05 * ns["max_norm"], rel=1e-3)
    assert no_clip["step"] > 1000 * no_clip["weights"]
    assert no_clip["saturated"] > 0.95 and with_clip["saturated"] < 0.5
    # «градиент по входу первого шага становится нулём»; с обрезкой — доходит.
    assert no_clip["first_step_grad"] < 1e-6 and with_clip["first_step_grad"] > 1.0

    # Сама функция: норма до обрезки в ответ, после — ровно max_norm; малую не трогает.
    w = torch.zeros(3, requires_grad=True)
    w.grad = torch.tensor([3.0, 4.0, 0.0])
    assert nn.utils.clip_grad_norm_([w], 1.0).item() == pytest.approx(5.0)
    assert torch.allclose(w.grad, torch.tensor([0.6, 0.8, 0.0]))
    nn.utils.clip_grad_norm_([w], 2.0)
    assert torch.allclose(w.grad, torch.tensor([0.6, 0.8, 0.0]))

    norms = ns["gradient_norms"]
    assert len(norms) == ns["num_epochs"] * len(ns["train_loader"])
    fraction = ns["clipped_fraction"]
    assert fraction == sum(n > ns["max_norm"] for n in norms) / len(norms) and 0 < fraction <= 1


def test_figures_saved(run):
    for name in ("rnn_brackets", "rnn_rows", "rnn_exploding"):
        figure = run.out / f"{name}.png"
        assert figure.is_file() and figure.stat().st_size > 10_000
