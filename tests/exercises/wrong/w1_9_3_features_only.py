from torch import nn
def freeze_and_replace_head(model, num_classes):
    model.features.requires_grad_(False)
    model.head = nn.Linear(model.head.in_features, num_classes)
    return model
