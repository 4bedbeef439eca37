def kl_normal(mu1, log_var1, mu2, log_var2):
    return (log_var2 - log_var1 + (log_var1.exp() + (mu1 - mu2) ** 2) / log_var2.exp() - 1).sum(-1)
