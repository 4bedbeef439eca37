def train_epoch(model, loader, criterion, optimizer):
    model.train()
    for x, y in loader:
        loss = criterion(model(x), y); optimizer.zero_grad(); loss.backward(); optimizer.step()
    return loss.item()
