import torch


def bidirectional_output(x, lengths, forward_lstm, backward_lstm):
    forward_out, _ = forward_lstm(x)
    backward_out, _ = backward_lstm(x)
    out = torch.cat([forward_out, backward_out], dim=2)
    mask = torch.arange(x.shape[1])[None, :] < lengths[:, None]
    return out * mask[..., None]
