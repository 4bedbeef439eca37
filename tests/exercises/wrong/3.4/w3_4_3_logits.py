import torch


def judge_samples(logits, threshold=0.9, min_count=5):
    top, label = logits.max(dim=1)  # порог на логитах, без softmax
    confident = top >= threshold
    counts = torch.bincount(label[confident], minlength=logits.shape[1])
    shares = torch.bincount(label, minlength=logits.shape[1]) / len(label)
    shares = shares[shares > 0]
    return (
        confident.float().mean().item(),
        int((counts >= min_count).sum()),
        torch.exp(-(shares * shares.log()).sum()).item(),
    )
