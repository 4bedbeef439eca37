def log_parameters(writer, model, step):
    for name, parameter in model.named_parameters():
        writer.add_histogram(name, parameter, step)
        writer.add_histogram(f"{name}.grad", parameter.grad, step)
