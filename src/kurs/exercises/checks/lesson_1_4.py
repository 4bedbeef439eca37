"""Проверки упражнений урока 1.4 «Модули, слои, функции потерь, оптимизаторы»."""

import torch
import torch.nn.functional as F
from torch import nn

from kurs.exercises.spec import call, expect_close, expect_tensor, fail

# ---------------------------------------------------------------- 1.4.1 свой Linear


def _make_layer(MyLinear, *args, **kwargs):
    layer = call(MyLinear, *args, **kwargs)
    if not isinstance(layer, nn.Module):
        fail("MyLinear должен наследоваться от nn.Module: class MyLinear(nn.Module)")
    return layer


def _check_parameters(layer, in_features, out_features, bias):
    described = f"MyLinear({in_features}, {out_features}, bias={bias})"
    params = dict(layer.named_parameters())
    expected_names = ["weight", "bias"] if bias else ["weight"]
    if not params:
        fail(
            f"{described}: у модуля нет ни одного параметра. Оберните тензоры в nn.Parameter "
            "и присвойте их атрибутам self.weight и self.bias"
        )
    if sorted(params) != sorted(expected_names):
        fail(f"{described}: ожидались параметры {expected_names}, найдены {sorted(params)}")
    shapes = {"weight": (out_features, in_features), "bias": (out_features,)}
    for name in expected_names:
        param = params[name]
        if tuple(param.shape) != shapes[name]:
            fail(
                f"{described}: у параметра {name} ожидалась форма {shapes[name]}, "
                f"получена {tuple(param.shape)}"
            )
        if param.dtype != torch.float32:
            fail(f"{described}: параметр {name} должен быть float32, а он {param.dtype}")
        if not param.requires_grad:
            fail(f"{described}: у параметра {name} requires_grad=False — его нельзя обучать")
        if not torch.isfinite(param).all():
            fail(f"{described}: в начальных значениях {name} есть inf или nan")
    keys = sorted(layer.state_dict())
    if keys != sorted(expected_names):
        fail(f"{described}: в state_dict ожидались ключи {expected_names}, найдены {keys}")
    count = sum(p.numel() for p in layer.parameters())
    expected_count = out_features * in_features + (out_features if bias else 0)
    if count != expected_count:
        fail(f"{described}: ожидалось {expected_count} обучаемых чисел, у вас {count}")


def check_my_linear(MyLinear):
    for in_features, out_features, bias in [(4, 3, True), (1, 5, True), (3, 2, False)]:
        _check_parameters(
            _make_layer(MyLinear, in_features, out_features, bias=bias),
            in_features,
            out_features,
            bias,
        )
    layer = _make_layer(MyLinear, 2, 2)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[1.0, 2.0], [0.0, -1.0]]))
        layer.bias.copy_(torch.tensor([10.0, 20.0]))
    x = torch.tensor([[1.0, 1.0], [3.0, 0.0]])
    expect_tensor(
        call(layer, x),
        torch.tensor([[13.0, 19.0], [13.0, 20.0]]),
        what="выход слоя",
        inputs="weight = [[1, 2], [0, -1]], bias = [10, 20], x = [[1, 1], [3, 0]]",
    )
    cases = [
        (4, 3, True, (5, 4)),
        (3, 6, True, (2, 7, 3)),
        (5, 2, False, (4, 5)),
        (3, 4, True, (3,)),
    ]
    for seed, (in_features, out_features, bias, x_shape) in enumerate(cases):
        torch.manual_seed(seed)
        layer = _make_layer(MyLinear, in_features, out_features, bias=bias)
        x = torch.randn(x_shape, generator=torch.Generator().manual_seed(seed))
        inputs = f"MyLinear({in_features}, {out_features}, bias={bias}), x формы {x_shape}"
        out = call(layer, x)
        weight = layer.weight.detach().clone().requires_grad_(True)
        bias_ref = layer.bias.detach().clone().requires_grad_(True) if bias else None
        expected = F.linear(x, weight, bias_ref)
        expect_tensor(out, expected, what="выход слоя", inputs=inputs)
        if not out.requires_grad:
            fail(f"{inputs}: выход не связан с параметрами — градиент до них не дойдёт")
        layer.zero_grad()
        out.sum().backward()
        expected.sum().backward()
        expect_tensor(layer.weight.grad, weight.grad, what="градиент по weight", inputs=inputs)
        if bias:
            expect_tensor(layer.bias.grad, bias_ref.grad, what="градиент по bias", inputs=inputs)


# ---------------------------------------------------------------- 1.4.2 перекрёстная энтропия


def _ce_case(cross_entropy, logits, target, inputs):
    leaf = logits.clone().requires_grad_(True)
    got = call(cross_entropy, leaf, target)
    if isinstance(got, torch.Tensor) and got.numel() == 1 and not torch.isfinite(got).all():
        fail(
            f"{inputs}: получилось {got.item()} — exp больших логитов переполняется. "
            "Вычтите из логитов каждой строки её максимум: softmax от этого не меняется"
        )
    reference_leaf = logits.clone().requires_grad_(True)
    expected = F.cross_entropy(reference_leaf, target)
    expect_tensor(got, expected, what="потеря", inputs=inputs)
    if not got.requires_grad:
        fail(
            f"{inputs}: потеря не связана с графом (requires_grad=False) — backward не "
            "сработает. Не используйте .item(), .tolist(), torch.tensor(...) внутри функции"
        )
    got.backward()
    expected.backward()
    expect_tensor(leaf.grad, reference_leaf.grad, what="градиент по logits", inputs=inputs)


def check_cross_entropy(cross_entropy):
    logits = torch.tensor([[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    target = torch.tensor([0, 2])
    _ce_case(cross_entropy, logits, target, "logits = [[2, 1, 0], [0, 0, 0]], target = [0, 2]")
    for seed, (n, c, scale) in enumerate(
        [(1, 2, 1), (4, 3, 1), (8, 10, 3), (3, 1, 1), (6, 5, 1000)]
    ):
        gen = torch.Generator().manual_seed(seed)
        logits = torch.randn(n, c, generator=gen) * scale
        target = torch.randint(0, c, (n,), generator=gen)
        inputs = f"logits формы {(n, c)} со стандартным отклонением ~{scale}, зерно {seed}"
        _ce_case(cross_entropy, logits, target, inputs)


# ---------------------------------------------------------------- 1.4.3 SGD с моментом


def _problem(seed):
    gen = torch.Generator().manual_seed(seed)
    x, y = torch.randn(6, 3, generator=gen), torch.randn(6, 2, generator=gen)
    # Третий параметр в потере не участвует: его .grad остаётся None.
    start = [torch.randn(3, 2, generator=gen), torch.randn(2, generator=gen), torch.ones(2)]
    params = [p.clone().requires_grad_(True) for p in start]

    def loss_fn(ps):
        return ((x @ ps[0] + ps[1] - y) ** 2).mean()

    return params, loss_fn


def _reference_step(params, velocities, loss_fn, lr, momentum):
    """Шаг torch.optim.SGD(momentum=...) по его формуле: сам класс строится ~2 с при импорте."""
    for p in params:
        p.grad = None
    loss_fn(params).backward()
    with torch.no_grad():
        for p, v in zip(params, velocities, strict=True):
            if p.grad is not None:
                v.mul_(momentum).add_(p.grad)
                p.sub_(lr * v)


def check_momentum_sgd(MomentumSGD):
    for seed, (lr, momentum, as_generator) in enumerate(
        [(0.1, 0.0, False), (0.05, 0.9, False), (0.02, 0.5, True)]
    ):
        params, loss_fn = _problem(seed)
        reference, _ = _problem(seed)
        source = (p for p in params) if as_generator else params
        optimizer = call(MomentumSGD, source, lr=lr, momentum=momentum)
        velocities = [torch.zeros_like(r) for r in reference]
        kind = "генератор параметров" if as_generator else "список параметров"
        for step in range(1, 5):
            inputs = f"lr={lr}, momentum={momentum}, {kind}, шаг {step}"
            call(optimizer.zero_grad)
            for p in params:
                if p.grad is not None and p.grad.abs().max() > 0:
                    fail(f"{inputs}: после zero_grad() у параметра остался ненулевой .grad")
            loss_fn(params).backward()
            before = [p.detach().clone() for p in params]
            call(optimizer.step)
            _reference_step(reference, velocities, loss_fn, lr, momentum)
            for p in params:
                if not p.is_leaf or not p.requires_grad:
                    fail(
                        f"{inputs}: параметр перестал быть обучаемым листом графа; "
                        "меняйте его на месте внутри with torch.no_grad()"
                    )
            if all(torch.equal(b, p.detach()) for b, p in zip(before, params[:2], strict=False)):
                extra = (
                    " model.parameters() — генератор, его можно пройти только один раз: "
                    "сохраните list(params)"
                    if as_generator
                    else " Меняйте сами тензоры на месте: p -= ..., а не p = p - ..."
                )
                fail(f"{inputs}: после step() параметры не изменились.{extra}")
            for number, (p, r) in enumerate(zip(params, reference, strict=True), start=1):
                expect_tensor(p.detach(), r.detach(), what=f"параметр №{number}", inputs=inputs)
        expect_close(loss_fn(params), loss_fn(reference).item(), what="потеря после 4 шагов")
