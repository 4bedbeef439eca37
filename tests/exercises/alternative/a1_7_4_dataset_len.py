"""Число примеров — из len(loader.dataset), градиенты обнуляет model.zero_grad()."""


def train_epoch(model, loader, criterion, optimizer):
    model.train()
    total = 0.0
    for inputs, targets in loader:
        model.zero_grad(set_to_none=True)
        logits = model(inputs)
        loss = criterion(logits, targets)
        loss.backward()
        optimizer.step()
        total += loss.item() * inputs.size(0)
    return total / len(loader.dataset)
