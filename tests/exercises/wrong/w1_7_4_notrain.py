def train_epoch(model, loader, criterion, optimizer):
    total, count = 0.0, 0
    for x, y in loader:
        loss = criterion(model(x), y); optimizer.zero_grad(); loss.backward(); optimizer.step()
        total += loss.item() * len(y); count += len(y)
    return total / count
