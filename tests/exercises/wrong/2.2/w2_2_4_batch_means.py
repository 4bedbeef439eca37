def train_epoch(model, loader, criterion, optimizer, device):
    model.train()
    losses = []
    for X, y in loader:
        loss = criterion(model(X.to(device)), y.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)
