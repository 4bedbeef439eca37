"""Имена собраны по модулям вручную; градиент проверяется через requires_grad и None."""


def log_parameters(writer, model, step):
    for module_name, module in model.named_modules():
        for short_name, parameter in module.named_parameters(recurse=False):
            name = f"{module_name}.{short_name}" if module_name else short_name
            writer.add_histogram(name, parameter.detach(), global_step=step)
            if parameter.requires_grad and parameter.grad is not None:
                writer.add_histogram(name + ".grad", parameter.grad, global_step=step)
