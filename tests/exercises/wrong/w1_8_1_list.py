from torch import nn
class MLP(nn.Module):
    def __init__(self, in_features, hidden, num_classes, p=0.5):
        super().__init__()
        w = [in_features, *hidden, num_classes]
        self.layers = [nn.Linear(a, b) for a, b in zip(w[:-1], w[1:])]
        self.drop = nn.Dropout(p)
    def forward(self, x):
        x = x.flatten(1)
        for l in self.layers[:-1]:
            x = self.drop(l(x).relu())
        return self.layers[-1](x)
