def train_step(model, X, y, optimizer, criterion):
    optimizer.zero_grad(); loss = criterion(model(X), y); loss.backward(); optimizer.step(); return criterion(model(X), y).item()
