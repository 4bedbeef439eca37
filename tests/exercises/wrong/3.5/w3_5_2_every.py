def train_epoch_logged(model, loader, criterion, optimizer, writer, step, log_every):
    model.train()
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1
        writer.add_scalar("loss/train", loss.item(), step)
    return step
