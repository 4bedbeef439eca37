def accuracy(logits, targets):
    return (logits.argmax(0)[: len(targets)] == targets[: logits.shape[1]]).float().mean().item()
