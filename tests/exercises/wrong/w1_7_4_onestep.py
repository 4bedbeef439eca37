def train_epoch(model, loader, criterion, optimizer):
    model.train(); optimizer.zero_grad(); total, count = 0.0, 0
    for x, y in loader:
        loss = criterion(model(x), y); loss.backward()
        total += loss.item() * len(y); count += len(y)
    optimizer.step()
    return total / count
