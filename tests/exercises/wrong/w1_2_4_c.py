import math, torch
def attention_scores(q, k):
    return torch.einsum("btd,bsd->bst", q, k) / math.sqrt(q.shape[-1])
