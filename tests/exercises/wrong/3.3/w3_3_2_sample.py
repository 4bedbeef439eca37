from torch.distributions import Normal


def sample_codes(mu, log_var, num_samples):
    return Normal(mu, (0.5 * log_var).exp()).sample((num_samples,))
