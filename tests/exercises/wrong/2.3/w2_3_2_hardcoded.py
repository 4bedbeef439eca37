from torch import nn


def replace_head(model, num_classes):
    model.requires_grad_(False)
    model.fc = nn.Linear(512, num_classes)
    return model
