from torch import nn
class MLP(nn.Module):
    # Dropout → Linear → ReLU: гасит входные пиксели, а после последнего скрытого слоя его нет
    def __init__(self, in_features, hidden, num_classes, p=0.5):
        super().__init__()
        w = [in_features, *hidden]
        layers = []
        for a, b in zip(w[:-1], w[1:]):
            layers += [nn.Dropout(p), nn.Linear(a, b), nn.ReLU()]
        self.net = nn.Sequential(*layers, nn.Linear(w[-1], num_classes))
    def forward(self, x):
        return self.net(x.flatten(1))
