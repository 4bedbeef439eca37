"""Четыре вентиля по отдельности: срезы весов вместо chunk, F.sigmoid и torch.tanh."""

from torch.nn import functional as F


def lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    H = h.shape[1]

    def gate(k):
        rows = slice(k * H, (k + 1) * H)
        return x @ weight_ih[rows].T + h @ weight_hh[rows].T + bias_ih[rows] + bias_hh[rows]

    i, f, g, o = F.sigmoid(gate(0)), F.sigmoid(gate(1)), gate(2).tanh(), F.sigmoid(gate(3))
    c_new = f * c + i * g
    return o * c_new.tanh(), c_new
