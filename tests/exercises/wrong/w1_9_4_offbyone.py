from pathlib import Path
import torch
def train_with_checkpoints(model, optimizer, train_one_epoch, num_epochs, path):
    start = 0
    if Path(path).exists():
        c = torch.load(path, weights_only=True); model.load_state_dict(c["model"]); optimizer.load_state_dict(c["optimizer"]); start = c["epoch"]
    for epoch in range(start, num_epochs):
        train_one_epoch(model, optimizer, epoch)
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, path)
