def train_epoch(model, loader, criterion, optimizer):
    model.train(); total, count = 0.0, 0
    for x, y in loader:
        loss = criterion(model(x), y); optimizer.zero_grad(); loss.backward(); optimizer.step()
        total = total + loss * len(y); count += len(y)
    return total / count
