import torch


def judge_samples(logits, threshold=0.9, min_count=5):
    top, label = torch.softmax(logits, dim=1).max(dim=1)
    confident = top >= threshold
    counts = torch.bincount(label[confident], minlength=logits.shape[1])
    shares = torch.bincount(label, minlength=logits.shape[1]) / len(label)
    entropy = -(shares * shares.log()).sum()  # у пустых классов 0·ln 0 = nan
    return confident.float().mean().item(), int((counts >= min_count).sum()), entropy.exp().item()
