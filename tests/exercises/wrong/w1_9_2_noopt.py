import torch
def load_checkpoint(path, model, optimizer):
    c = torch.load(path, weights_only=True)
    model.load_state_dict(c["model"])
    return c["epoch"]
