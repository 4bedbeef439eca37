def train_epoch(model, loader, criterion, optimizer):
    model.train(); losses = []
    for x, y in loader:
        loss = criterion(model(x), y); optimizer.zero_grad(); loss.backward(); optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)
