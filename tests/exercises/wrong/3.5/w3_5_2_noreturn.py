def train_epoch_logged(model, loader, criterion, optimizer, writer, step, log_every):
    model.train()
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1
        if step % log_every == 0:
            writer.add_scalar("loss/train", loss.item(), step)
