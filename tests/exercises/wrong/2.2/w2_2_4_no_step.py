def train_epoch(model, loader, criterion, optimizer, device):
    model.train()
    total, count = 0.0, 0
    for X, y in loader:
        loss = criterion(model(X.to(device)), y.to(device))
        optimizer.zero_grad()
        loss.backward()
        total += loss.item() * len(X)
        count += len(X)
    return total / count
