import copy
def early_stopping(model, train_one_epoch, validation_loss, max_epochs, patience):
    best, best_epoch, bad, best_state = float("inf"), 0, 0, None
    for epoch in range(max_epochs):
        train_one_epoch(model); loss = validation_loss(model)
        if loss <= best:
            best, best_epoch, bad, best_state = loss, epoch, 0, copy.deepcopy(model.state_dict())
        else:
            bad += 1
            if bad >= patience: break
    model.load_state_dict(best_state)
    return best_epoch
