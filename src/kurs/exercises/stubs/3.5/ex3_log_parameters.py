"""Упражнение 3.5.3. Гистограммы весов и градиентов.

Гистограммы весов и их градиентов по эпохам показывают, учится ли слой: веса, которые
не меняются, и градиенты, которые тают до нуля или взрываются, видно сразу.
Напишите log_parameters(writer, model, step):

- для каждого параметра модели запишите гистограмму его значений:
  writer.add_histogram(<имя>, <параметр>, step), где имя — как в
  model.named_parameters() («body.weight», «head.bias»…);
- если у параметра есть градиент (parameter.grad не None), запишите и его гистограмму
  под тегом «<имя>.grad»; у замороженных параметров (requires_grad=False) и у тех,
  что не участвовали в backward, градиента нет — его пропустите;
- ничего не возвращайте и параметры не меняйте.

Проверка: kurs check 3.5.3   Подсказка: kurs hint 3.5.3
"""

from torch import nn
from torch.utils.tensorboard import SummaryWriter


def log_parameters(writer: SummaryWriter, model: nn.Module, step: int) -> None:
    raise NotImplementedError
