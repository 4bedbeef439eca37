import torch


def reverse(x, lengths):
    result = x.clone()
    for i, length in enumerate(lengths.tolist()):
        result[i, :length] = x[i, :length].flip(0)
    return result


def bidirectional_output(x, lengths, forward_lstm, backward_lstm):
    forward_out, _ = forward_lstm(x)
    backward_out = reverse(backward_lstm(reverse(x, lengths))[0], lengths)
    out = torch.cat([backward_out, forward_out], dim=2)
    mask = torch.arange(x.shape[1])[None, :] < lengths[:, None]
    return out * mask[..., None]
