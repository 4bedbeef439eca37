def log_parameters(writer, model, step):
    for name, parameter in model.named_parameters():
        writer.add_histogram(name, parameter, step)
        if parameter.grad is not None:
            writer.add_histogram(name, parameter.grad, step)
