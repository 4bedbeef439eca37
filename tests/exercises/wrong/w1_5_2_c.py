import torch
def pad_collate(batch):
    seqs = [s for s, _ in batch]
    L = max(len(s) for s in seqs)
    padded = torch.stack([torch.cat([torch.zeros(L - len(s), s.shape[1]), s]) for s in seqs])
    mask = torch.stack([torch.arange(L) >= L - len(s) for s in seqs])
    return padded, mask, torch.tensor([l for _, l in batch])
