def sample_next(logits, generator, temperature=1.0, top_k=None):
    return (logits / temperature).argmax(dim=-1)
