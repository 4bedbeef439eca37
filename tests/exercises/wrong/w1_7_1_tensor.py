def accuracy(logits, targets):
    return (logits.argmax(1) == targets).float().mean()
