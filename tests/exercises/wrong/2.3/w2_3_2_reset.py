from torch import nn


def replace_head(model, num_classes):
    for module in model.modules():
        if hasattr(module, "reset_parameters"):
            module.reset_parameters()  # «начать с чистого листа» — и обученные веса потеряны
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
