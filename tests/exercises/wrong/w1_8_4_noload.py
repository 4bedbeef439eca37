import copy
def early_stopping(model, train_one_epoch, validation_loss, max_epochs, patience):
    best, best_epoch, bad = float("inf"), 0, 0
    for epoch in range(max_epochs):
        train_one_epoch(model); loss = validation_loss(model)
        if loss < best:
            best, best_epoch, bad = loss, epoch, 0
        else:
            bad += 1
            if bad >= patience: break
    return best_epoch
