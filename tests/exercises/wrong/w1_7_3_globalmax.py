import torch
def softmax(logits, dim=-1):
    e = torch.exp(logits - logits.max()); return e / e.sum(dim, keepdim=True)
