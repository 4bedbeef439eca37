import torch


def judge_samples(logits, threshold=0.9, min_count=5):
    top, label = torch.softmax(logits, dim=1).max(dim=1)
    confident = top >= threshold
    counts = torch.bincount(label, minlength=logits.shape[1])  # все картинки, а не уверенные
    shares = counts / len(label)
    shares = shares[shares > 0]
    return (
        confident.float().mean().item(),
        int((counts >= min_count).sum()),
        torch.exp(-(shares * shares.log()).sum()).item(),
    )
