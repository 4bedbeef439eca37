"""Проверки упражнений урока 2.3 «ResNet: остаточные связи»."""

import torch
from torch import nn

from kurs.exercises.spec import call, expect_tensor, fail


def _fill(module: nn.Module, seed: int) -> nn.Module:
    """Веса и статистики BatchNorm из своего генератора: вердикт не зависит от зерна."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for tensor in [*module.parameters(), *module.buffers()]:
            if tensor.is_floating_point():
                tensor.copy_(torch.rand(tensor.shape, generator=gen) * 0.6 - 0.2)
        for bn in (m for m in module.modules() if isinstance(m, nn.BatchNorm2d)):
            bn.running_var.copy_(torch.rand(bn.running_var.shape, generator=gen) + 0.5)
    return module


def _close(a, b) -> bool:
    return (
        isinstance(a, torch.Tensor)
        and a.shape == b.shape
        and torch.allclose(a.detach().double(), b.detach().double(), atol=1e-5, rtol=1e-4)
    )


# %% 2.3.1 Остаточный блок


def _block_parts(in_channels: int, out_channels: int, stride: int, seed: int):
    conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, padding=1, bias=False)
    bn1 = nn.BatchNorm2d(out_channels)
    conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
    bn2 = nn.BatchNorm2d(out_channels)
    downsample = None
    if stride != 1 or in_channels != out_channels:
        downsample = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
            nn.BatchNorm2d(out_channels),
        )
    parts = [conv1, bn1, conv2, bn2, downsample]
    for number, part in enumerate(parts):
        if part is not None:
            _fill(part, seed * 10 + number)
    return parts


def check_residual_block(residual_block):
    cases = (
        (4, 4, 1, 0, "eval"),
        (3, 6, 2, 1, "eval"),
        (4, 4, 1, 2, "train"),
        (2, 5, 1, 3, "eval"),
    )
    for in_channels, out_channels, stride, seed, mode in cases:
        conv1, bn1, conv2, bn2, downsample = _block_parts(in_channels, out_channels, stride, seed)
        for part in (conv1, bn1, conv2, bn2, downsample):
            if part is not None:
                part.train(mode == "train")
        gen = torch.Generator().manual_seed(100 + seed)
        x = torch.relu(torch.randn(3, in_channels, 8, 8, generator=gen)) - 0.3
        inputs = (
            f"{in_channels}→{out_channels} каналов, страйд {stride}, "
            f"downsample {'есть' if downsample is not None else 'None'}, режим {mode}()"
        )
        # Статистики BatchNorm в train() меняются при каждом вызове: эталон считаем на копиях.
        saved = [
            None if p is None else {k: v.clone() for k, v in p.state_dict().items()}
            for p in (conv1, bn1, conv2, bn2, downsample)
        ]
        with torch.no_grad():
            got = call(residual_block, x, conv1, bn1, conv2, bn2, downsample)
        for part, state in zip((conv1, bn1, conv2, bn2, downsample), saved, strict=True):
            if part is not None:
                part.load_state_dict(state)
        with torch.no_grad():
            inner = bn2(conv2(torch.relu(bn1(conv1(x)))))
            shortcut = x if downsample is None else downsample(x)
            expected = torch.relu(inner + shortcut)
            variants = {
                "ReLU стоит до сложения: relu(F(x)) + x. Сначала сложите F(x) и обходную "
                "ветку, потом ReLU": torch.relu(inner) + shortcut,
                "после сложения нет ReLU: в выходе блока остались отрицательные числа": inner
                + shortcut,
                "между свёртками нет ReLU: F(x) = bn2(conv2(relu(bn1(conv1(x)))))": torch.relu(
                    bn2(conv2(bn1(conv1(x)))) + shortcut
                ),
                "нет обходной связи: вы вернули relu(F(x)), а нужно relu(F(x) + x)": torch.relu(
                    inner
                ),
            }
        if (
            isinstance(got, torch.Tensor)
            and got.shape == expected.shape
            and not _close(got, expected)
        ):
            for message, variant in variants.items():
                if _close(got, variant):
                    fail(f"({inputs}) {message}")
        expect_tensor(got, expected, what="выход блока", inputs=inputs)


# %% 2.3.2 Новая голова


class _TinyNet(nn.Module):
    """Маленькая сеть с головой fc на 16 признаков: ширина головы не всегда 512."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1)
        )
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))


def _resnet(seed: int) -> nn.Module:
    from torchvision.models.resnet import BasicBlock, ResNet

    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return ResNet(BasicBlock, [1, 1, 1, 1])  # устроена как resnet18, но вдвое мельче


def _features(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Выход сети до головы: подменяем fc тождественным слоем на время вызова."""
    head = model.fc
    model.fc = nn.Identity()
    try:
        with torch.no_grad():
            return model(x)
    finally:
        model.fc = head


def check_replace_head(replace_head):
    for label, build, num_classes in (
        ("ResNet из torchvision, 7 классов", lambda: _resnet(0), 7),
        ("маленькая сеть с fc на 16 признаков, 3 класса", lambda: _fill(_TinyNet(), 5), 3),
    ):
        model = build()
        model.eval()
        x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(1))
        old_head = model.fc
        in_features = old_head.in_features
        features_before = _features(model, x)
        backbone_before = {
            name: value.detach().clone()
            for name, value in model.state_dict().items()
            if not name.startswith("fc.")
        }
        result = call(replace_head, model, num_classes)
        if not isinstance(result, nn.Module):
            fail(f"({label}) функция должна вернуть модель (nn.Module), а вернула {result!r:.60}")
        new_head = getattr(result, "fc", None)
        if not isinstance(new_head, nn.Linear):
            fail(f"({label}) у возвращённой модели атрибут fc должен быть nn.Linear")
        if new_head is old_head:
            fail(f"({label}) голова осталась старой: замените model.fc новым nn.Linear")
        if new_head.in_features != in_features:
            fail(
                f"({label}) новая голова ждёт {new_head.in_features} признаков, а сеть отдаёт "
                f"{in_features}: возьмите их у старой головы, model.fc.in_features"
            )
        result.eval()
        with torch.no_grad():
            out = result(x)
        if tuple(out.shape) != (2, num_classes):
            fail(
                f"({label}) выход новой модели на батче из 2 картинок: ожидалась форма "
                f"(2, {num_classes}), получена {tuple(out.shape)}"
            )
        after = {
            name: value for name, value in result.state_dict().items() if not name.startswith("fc.")
        }
        if after.keys() != backbone_before.keys() or any(
            not torch.equal(after[name], value) for name, value in backbone_before.items()
        ):
            fail(f"({label}) веса сети до головы изменились; их нужно сохранить как есть")
        if not torch.equal(_features(result, x), features_before):
            fail(f"({label}) сеть до головы считает не то, что раньше")
        trainable = [p for p in result.parameters() if p.requires_grad]
        head_parameters = list(new_head.parameters())
        if not all(p.requires_grad for p in head_parameters):
            fail(
                f"({label}) новая голова заморожена (requires_grad=False), а учить нужно именно её"
            )
        frozen_head = {id(p) for p in head_parameters}
        extra = sum(p.numel() for p in trainable if id(p) not in frozen_head)
        if extra:
            fail(
                f"({label}) обучаемыми остались не только параметры головы (вне головы — "
                f"{extra} чисел); заморозьте всё остальное: requires_grad=False"
            )
        # Обратное распространение доходит только до головы.
        result.train()
        loss = result(x).square().mean()
        loss.backward()
        if any(p.grad is None for p in head_parameters):
            fail(f"({label}) у новой головы нет градиента после backward()")


# %% 2.3.3 Градиенты по слоям


class _Plain(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 4, 3, stride=2, padding=1)  # со смещением: нужен только weight
        self.body = nn.Sequential(
            *[
                layer
                for _ in range(3)
                for layer in (
                    nn.Conv2d(4, 4, 3, padding=1, bias=False),
                    nn.BatchNorm2d(4),
                    nn.ReLU(),
                )
            ]
        )
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 3))

    def forward(self, x):
        return self.head(self.body(torch.relu(self.stem(x))))


def _reference_norms(model, X, y):
    model.zero_grad()
    nn.functional.cross_entropy(model(X), y).backward()
    return torch.stack(
        [m.weight.grad.norm() for m in model.modules() if isinstance(m, nn.Conv2d)]
    ).detach()


def check_conv_gradient_norms(conv_gradient_norms):
    for label, seed, batch in (("сеть из 4 свёрток, батч 6", 0, 6), ("другие веса, батч 3", 1, 3)):
        model = _fill(_Plain(), seed)
        reference = _fill(_Plain(), seed)
        model.train()
        reference.train()
        gen = torch.Generator().manual_seed(50 + seed)
        X = torch.randn(batch, 1, 8, 8, generator=gen)
        y = torch.randint(0, 3, (batch,), generator=gen)
        # Градиенты от «прошлого шага» уже лежат в .grad: их нужно обнулить.
        for p in model.parameters():
            p.grad = torch.full_like(p, 0.5)
        expected = _reference_norms(reference, X, y)
        got = call(conv_gradient_norms, model, X, y)
        if isinstance(got, (list, tuple)) and all(isinstance(v, torch.Tensor | float) for v in got):
            got = torch.tensor([float(v) for v in got])
        if (
            isinstance(got, torch.Tensor)
            and got.shape == expected.shape
            and not _close(got, expected)
        ):
            model_again = _fill(_Plain(), seed)
            for p in model_again.parameters():
                p.grad = torch.full_like(p, 0.5)
            nn.functional.cross_entropy(model_again(X), y).backward()
            convs = [m for m in model_again.modules() if isinstance(m, nn.Conv2d)]
            accumulated = torch.stack([m.weight.grad.norm() for m in convs]).detach()
            if _close(got, accumulated):
                fail(
                    f"({label}) в .grad остались градиенты прошлого шага, и новые к ним "
                    "прибавились: обнулите их перед backward() (model.zero_grad())"
                )
            if _close(got, expected**2):
                fail(f"({label}) это квадраты норм; норма — корень из суммы квадратов")
            reference_convs = [m for m in reference.modules() if isinstance(m, nn.Conv2d)]
            with_bias = torch.stack(
                [
                    torch.cat([m.weight.grad.flatten(), m.bias.grad.flatten()]).norm()
                    if m.bias is not None
                    else m.weight.grad.norm()
                    for m in reference_convs
                ]
            ).detach()
            if _close(got, with_bias):
                fail(
                    f"({label}) в норму первой свёртки попал и градиент смещения (bias); "
                    "нужна норма градиента только весов, m.weight.grad"
                )
            model_eval = _fill(_Plain(), seed).eval()
            eval_norms = _reference_norms(model_eval, X, y)
            if _close(got, eval_norms):
                fail(
                    f"({label}) градиенты посчитаны в режиме eval(): модель пришла в режиме "
                    "train(), в нём и считайте"
                )
        if isinstance(got, torch.Tensor) and got.dim() == 1 and len(got) == len(expected) + 1:
            fail(
                f"({label}) чисел на одно больше, чем свёрток: вы посчитали и линейный слой. "
                "Нужны только слои nn.Conv2d"
            )
        expect_tensor(got, expected, what="нормы градиентов свёрток", inputs=label)
