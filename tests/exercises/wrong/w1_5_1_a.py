import torch
from torch.utils.data import Dataset
class ArrayDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        self.f = torch.from_numpy(features); self.l = labels; self.t = transform
    def __len__(self): return len(self.l)
    def __getitem__(self, i):
        x = self.f[i]
        if self.t: x = self.t(x)
        return x, self.l[i]
