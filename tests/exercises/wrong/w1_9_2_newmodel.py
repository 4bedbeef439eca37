import copy, torch
def load_checkpoint(path, model, optimizer):
    c = torch.load(path, weights_only=True)
    m = copy.deepcopy(model); m.load_state_dict(c["model"]); optimizer.load_state_dict(c["optimizer"])
    return c["epoch"]
