
def kl_normal(mu1, log_var1, mu2, log_var2):
    # Распределения перепутаны: это KL(p ‖ q).
    return 0.5 * (
        log_var1 - log_var2 + (log_var2.exp() + (mu1 - mu2) ** 2) / log_var1.exp() - 1
    ).sum(-1)
