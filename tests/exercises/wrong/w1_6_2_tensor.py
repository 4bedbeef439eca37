def train_step(model, X, y, optimizer, criterion):
    loss = criterion(model(X), y); optimizer.zero_grad(); loss.backward(); optimizer.step(); return loss
