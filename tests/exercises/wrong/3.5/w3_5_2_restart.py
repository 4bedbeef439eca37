def train_epoch_logged(model, loader, criterion, optimizer, writer, step, log_every):
    model.train()
    count = 0
    for count, (x, y) in enumerate(loader, start=1):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if count % log_every == 0:
            writer.add_scalar("loss/train", loss.item(), count)
    return step + count
