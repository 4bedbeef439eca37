"""Упражнение 2.3.2. Новая голова для обученной сети.

Перенос обучения (урок 2.3): у обученной сети заменяют последний линейный слой —
голову — на новый под свои классы и учат только его. Напишите
replace_head(model, num_classes):

- model — сеть с головой в атрибуте model.fc (nn.Linear), как у resnet18 из torchvision;
- замените model.fc новым nn.Linear на num_classes выходов; число входов возьмите
  у старой головы (у resnet18 это 512, но бывает и другое);
- заморозьте все остальные параметры (requires_grad=False): их веса не меняйте;
- параметры новой головы должны обучаться (requires_grad=True);
- верните модель (можно ту же самую).

Проверка: kurs check 2.3.2   Подсказка: kurs hint 2.3.2
"""

from torch import nn


def replace_head(model: nn.Module, num_classes: int) -> nn.Module:
    raise NotImplementedError
