def train_epoch(model, loader, criterion, optimizer):
    model.train(); total, count = 0.0, 0
    for x, y in loader:
        loss = criterion(model(x), y); loss.backward(); optimizer.zero_grad(); optimizer.step()
        total += loss.item() * len(y); count += len(y)
    return total / count
