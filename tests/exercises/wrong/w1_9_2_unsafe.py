import torch
def load_checkpoint(path, model, optimizer):
    c = torch.load(path, weights_only=False)
    model.load_state_dict(c["model"]); optimizer.load_state_dict(c["optimizer"])
    return c["epoch"]
