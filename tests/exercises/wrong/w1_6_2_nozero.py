def train_step(model, X, y, optimizer, criterion):
    loss = criterion(model(X), y); loss.backward(); optimizer.step(); return loss.item()
