"""zero_grad после шага, а не перед backward, и сумма потерь тензором: тоже верно."""

import torch


def train_epoch(model, loader, criterion, optimizer, device):
    model.train(True)
    optimizer.zero_grad()
    total = torch.zeros(())
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        total += loss.detach() * y.shape[0]
    return (total / len(loader.dataset)).item()
