"""Потеря пишется тензором (SummaryWriter сам превращает его в число), шаг — через enumerate."""


def train_epoch_logged(model, loader, criterion, optimizer, writer, step, log_every):
    model.train()
    done = 0
    for done, (x, y) in enumerate(loader, start=1):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        if (step + done) % log_every == 0:
            writer.add_scalar("loss/train", loss.detach(), global_step=step + done)
    return step + done
