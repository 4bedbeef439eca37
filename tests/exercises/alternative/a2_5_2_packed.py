"""Упаковка: прямая LSTM на упакованном батче, обратная — на перевёрнутых строках, тоже упакованных."""

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def bidirectional_output(x, lengths, forward_lstm, backward_lstm):
    T = x.shape[1]

    def run(lstm, batch):
        packed = pack_padded_sequence(batch, lengths, batch_first=True, enforce_sorted=False)
        out, _ = pad_packed_sequence(lstm(packed)[0], batch_first=True, total_length=T)
        return out

    flipped = torch.stack(
        [torch.cat([row[:n].flip(0), row[n:]]) for row, n in zip(x, lengths.tolist(), strict=True)]
    )
    backward = run(backward_lstm, flipped)
    backward = torch.stack(
        [
            torch.cat([row[:n].flip(0), row[n:]])
            for row, n in zip(backward, lengths.tolist(), strict=True)
        ]
    )
    return torch.cat([run(forward_lstm, x), backward], dim=2)
