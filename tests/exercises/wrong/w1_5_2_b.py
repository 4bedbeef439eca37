import torch
def pad_collate(batch):
    seqs = [s for s, _ in batch]
    padded = torch.nn.utils.rnn.pad_sequence(seqs, batch_first=True)
    return padded, padded[..., 0] != 0, torch.tensor([l for _, l in batch])
