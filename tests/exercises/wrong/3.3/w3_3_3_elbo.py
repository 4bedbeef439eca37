def importance_log_px(log_px_given_z, log_pz, log_qz):
    return (log_px_given_z + log_pz - log_qz).mean(dim=0)
