import torch


def final_states(output, lengths):
    return output[torch.arange(output.shape[0]), lengths - 1]
