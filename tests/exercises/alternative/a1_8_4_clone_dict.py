"""Копия весов через clone() каждого тензора, выход из цикла по while."""


def early_stopping(model, train_one_epoch, validation_loss, max_epochs, patience):
    history = []
    best_state = None
    epoch = 0
    while epoch < max_epochs:
        train_one_epoch(model)
        history.append(validation_loss(model))
        if history[-1] < min(history[:-1], default=float("inf")):
            best_state = {name: t.detach().clone() for name, t in model.state_dict().items()}
        best_epoch = history.index(min(history))
        if epoch - best_epoch >= patience:
            break
        epoch += 1
    model.load_state_dict(best_state)
    return best_epoch
