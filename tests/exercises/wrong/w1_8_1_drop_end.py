from torch import nn
class MLP(nn.Module):
    # Dropout и после выходного слоя
    def __init__(self, in_features, hidden, num_classes, p=0.5):
        super().__init__()
        w = [in_features, *hidden, num_classes]
        layers = []
        for a, b in zip(w[:-1], w[1:]):
            layers += [nn.Linear(a, b), nn.ReLU(), nn.Dropout(p)]
        self.net = nn.Sequential(*layers[:-2], nn.Dropout(p))
    def forward(self, x):
        return self.net(x.flatten(1))
