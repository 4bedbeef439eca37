import torch
def attention_scores(q, k):
    return torch.einsum("btd,bsd->bts", q, k)
