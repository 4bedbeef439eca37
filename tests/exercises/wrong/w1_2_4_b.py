import math
def attention_scores(q, k):
    return q @ k.transpose(1, 2) / math.sqrt(q.shape[-1])
