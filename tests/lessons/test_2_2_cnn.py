"""Урок 2.2 (lessons/02_nachalnyi/02_cnn.py): свёртка, отступ, страйд, пулинг, BatchNorm,
формула размера выхода, CNN против MLP на том же разбиении."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torchvision.transforms import v2


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("2.2")


def test_same_split_as_lesson_2_1(ns):
    assert ns["X_train"].shape == (4000, 1, 28, 28) and ns["X_test"].shape == (1000, 1, 28, 28)
    assert ns["X_train"].dtype == torch.float32  # 4 байта на пиксель: 60 000 · 784 · 4 ≈ 190 МБ
    assert 60_000 * 784 * ns["X_train"].element_size() / 1e6 == pytest.approx(190, abs=3)
    assert torch.bincount(ns["y_test"].cpu()).tolist() == [100] * 10
    # Тензоры — это те же картинки, что отдаёт torchvision с преобразованиями урока.
    dataset = ns["Dataset"](ns["root"], train=False, transform=ns["transform"])
    image, label = dataset[123]
    assert torch.equal(ns["X_test"][123].cpu(), image) and ns["y_test"][123].item() == label


def test_convolution_by_hand_matches_conv2d(ns):
    digit, kernels, edge_maps = ns["digit"], ns["kernels"], ns["edge_maps"]
    assert kernels.shape == (2, 1, 3, 3)
    assert edge_maps.shape == (1, 2, 26, 26)  # без отступа: 28 − 3 + 1
    i, j = ns["i"], ns["j"]
    assert ns["by_hand"].item() == pytest.approx(edge_maps[0, 0, i, j].item(), abs=1e-5)
    # Проверяем каждую точку карты, а не одну.
    patches = digit[0, 0].unfold(0, 3, 1).unfold(1, 3, 1)  # (26, 26, 3, 3)
    for channel in range(2):
        expected = (patches * kernels[channel, 0]).sum(dim=(-1, -2))
        assert torch.allclose(edge_maps[0, channel], expected, atol=1e-4)
    # Ядро вертикальных краёв откликается на перепад «темно слева, светло справа».
    step = torch.zeros(1, 1, 5, 6)
    step[..., 3:] = 1.0
    response = F.conv2d(step, kernels)
    assert response[0, 0].abs().max() > 0 and response[0, 1].abs().max() == 0


def test_output_size_formula_matches_layers(ns):
    formula = ns["conv_output_size"]
    table = ns["size_table"]
    assert len(table) >= 5 and any(row[2] > 1 for row in table)  # есть страйд больше 1
    for kernel_size, padding, stride, predicted, actual in table:
        assert predicted == actual == formula(28, kernel_size, padding, stride)
    # Сами проверяем формулу на других размерах, страйдах и на пулинге.
    for n in (7, 28, 31, 32):
        for kernel_size, padding, stride in ((3, 1, 1), (5, 2, 2), (4, 0, 3), (2, 0, 2)):
            layer = nn.Conv2d(1, 1, kernel_size, stride=stride, padding=padding)
            assert layer(torch.zeros(1, 1, n, n)).shape[-1] == formula(
                n, kernel_size, padding, stride
            )
        assert nn.MaxPool2d(2)(torch.zeros(1, 1, n, n)).shape[-1] == formula(n, 2, 0, 2)


def test_max_pooling(ns):
    assert ns["pooled"][0, 0].tolist() == [[5.0, 7.0], [13.0, 15.0]]
    assert sum(p.numel() for p in nn.MaxPool2d(2).parameters()) == 0
    # Признак, сдвинутый на пиксель внутри своего квадрата 2×2, даёт тот же выход.
    pool = nn.MaxPool2d(2)
    for a, b in (((0, 0), (1, 1)), ((2, 3), (3, 2)), ((4, 4), (5, 4))):
        first, second = torch.zeros(1, 1, 6, 6), torch.zeros(1, 1, 6, 6)
        first[0, 0][a], second[0, 0][b] = 1.0, 1.0
        assert torch.equal(pool(first), pool(second))


def test_batch_norm_normalizes_each_channel(ns):
    assert torch.allclose(ns["bn_means"], torch.zeros(2), atol=1e-4)
    assert torch.allclose(ns["bn_stds"], torch.ones(2), atol=1e-3)
    batch_norm = ns["batch_norm"]
    assert torch.equal(batch_norm.weight, torch.ones(2)) and torch.equal(
        batch_norm.bias, torch.zeros(2)
    )
    # Скользящие средние обновились по батчу (momentum 0.1 от нуля).
    expected = 0.1 * ns["feature_maps"].mean(dim=(0, 2, 3))
    assert torch.allclose(batch_norm.running_mean, expected, atol=1e-4)
    # В eval() нормирует скользящими средними, а не статистиками батча.
    batch_norm.eval()
    x = ns["feature_maps"]
    mean = batch_norm.running_mean.view(1, -1, 1, 1)
    var = batch_norm.running_var.view(1, -1, 1, 1)
    with torch.no_grad():
        assert torch.allclose(
            batch_norm(x), (x - mean) / torch.sqrt(var + batch_norm.eps), atol=1e-4
        )
        assert not torch.allclose(batch_norm(x), ns["normalized_maps"], atol=1e-2)
    batch_norm.train()


def test_conv_bias_is_useless_before_batch_norm():
    torch.manual_seed(0)
    with_bias = nn.Conv2d(1, 4, 3, bias=True)
    without = nn.Conv2d(1, 4, 3, bias=False)
    with torch.no_grad():
        without.weight.copy_(with_bias.weight)
        with_bias.bias.uniform_(-5, 5)
    x = torch.randn(8, 1, 10, 10)
    norm_a, norm_b = nn.BatchNorm2d(4), nn.BatchNorm2d(4)
    assert torch.allclose(norm_a(with_bias(x)), norm_b(without(x)), atol=1e-4)


def test_shapes_through_the_model_follow_the_formula(ns):
    formula, shapes, model = ns["conv_output_size"], ns["shapes"], ns["model"]
    assert [name for name, _ in shapes] == [type(layer).__name__ for layer in model]
    size = 28
    for layer, (_, shape) in zip(model, shapes, strict=True):
        if isinstance(layer, nn.Conv2d):
            size = formula(size, layer.kernel_size[0], layer.padding[0], layer.stride[0])
        elif isinstance(layer, nn.MaxPool2d):
            size = formula(size, layer.kernel_size, layer.padding, layer.stride)
        if len(shape) == 4:
            assert shape[-2:] == (size, size)
    assert [shape for name, shape in shapes if name == "MaxPool2d"] == [
        (2, 16, 14, 14),
        (2, 32, 7, 7),
        (2, 64, 3, 3),
    ]
    assert shapes[-1][1] == (2, 10)


def test_parameter_counts(ns):
    model = ns["model"]
    convs = [layer for layer in model.modules() if isinstance(layer, nn.Conv2d)]
    expected = sum(
        c.out_channels * c.in_channels * c.kernel_size[0] * c.kernel_size[1] for c in convs
    )
    expected += sum(2 * c.out_channels for c in convs)  # γ и β у каждого BatchNorm
    expected += 64 * 3 * 3 * 10 + 10
    assert ns["cnn_parameters"] == expected == 29_178
    assert ns["mlp_parameters"] == sum(p.numel() for p in ns["mlp"].parameters()) == 109_386
    assert ns["cnn_parameters"] * 3 < ns["mlp_parameters"]
    # Число весов свёртки не зависит от размера картинки: тот же слой берёт и 56×56.
    first = model[0].cpu()
    assert first(torch.zeros(1, 1, 56, 56)).shape == (1, 16, 56, 56)
    assert sum(p.numel() for p in first.parameters()) == 16 * 9


def test_shifted_digit_gives_shifted_response(ns):
    """«Сдвинутая цифра даёт сдвинутый, но тот же отклик»."""
    first = ns["model"][0].cpu()
    image = torch.zeros(1, 1, 28, 28)
    image[..., 4:20, 4:20] = ns["X_test"][0, :, 6:22, 6:22].cpu()
    shifted = torch.roll(image, shifts=(3, 5), dims=(2, 3))
    with torch.no_grad():
        out, out_shifted = first(image), first(shifted)
    assert torch.allclose(torch.roll(out, shifts=(3, 5), dims=(2, 3)), out_shifted, atol=1e-5)


def test_batch_augmentation_is_one_draw_per_call(ns):
    augment, black = ns["augment"], ns["black"]
    assert isinstance(augment, v2.RandomAffine)
    batch = ns["X_test"][:1].cpu().repeat(4, 1, 1, 1)
    torch.manual_seed(5)
    changed = augment(batch)
    # Весь батч искажён одинаково.
    assert all(torch.equal(changed[0], picture) for picture in changed[1:])
    # Пустое место заполнено «чёрным» в единицах Normalize: (0 − 0.1307) / 0.3081.
    assert black == [pytest.approx(-0.1307 / 0.3081)]
    assert ns["X_test"].min().item() == pytest.approx(black[0], abs=1e-5)
    shifted = v2.RandomAffine(degrees=0, translate=(0.3, 0.3), fill=black)
    torch.manual_seed(0)
    moved = shifted(torch.full((1, 1, 28, 28), 2.0))
    assert (moved == 2.0).any() and torch.isclose(moved, torch.tensor(black[0])).any()


def test_label_smoothing_target_is_below_one(ns):
    """С label_smoothing=0.1 потери меньше всего, когда верный класс получает 0.91, а не 1."""
    assert ns["label_smoothing"] == 0.1
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    logits = torch.zeros(1, 10, requires_grad=True)
    optimizer = torch.optim.SGD([logits], lr=1.0)
    for _ in range(500):
        loss = criterion(logits, torch.tensor([3]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert logits.softmax(dim=1)[0, 3].item() == pytest.approx(0.9 + 0.1 / 10, abs=1e-3)


def test_one_cycle_rises_then_falls(ns):
    lr = ns["lr"]
    optimizer = torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=lr)
    total = ns["num_epochs"] * len(ns["train_loader"])
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, lr, total_steps=total)
    rates = []
    for _ in range(total):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    peak = rates.index(max(rates))
    assert max(rates) == pytest.approx(lr, rel=1e-3) and 0 < peak < total // 2
    assert rates[0] < lr / 10 and rates[-1] < lr / 1000


def test_cnn_learns_and_beats_mlp_on_the_same_split(run, ns):
    losses, accuracies = ns["train_losses"], ns["test_accuracies"]
    assert len(losses) == len(accuracies) == ns["num_epochs"]
    assert losses[-1] < 0.6 * losses[0]
    # Быстрый режим — две эпохи; полный режим (цель 0.98 из каталога) проверяет bench.
    assert ns["test_accuracy"] >= 0.93
    assert run.lesson.target == 0.98 and run.lesson.metric == "test_accuracy"
    model = ns["model"].cpu().eval()
    with torch.no_grad():
        predictions = model(ns["X_test"].cpu()).argmax(dim=1)
    recomputed = (predictions == ns["y_test"].cpu()).double().mean().item()
    assert recomputed == pytest.approx(ns["test_accuracy"], abs=1e-9)
    assert len(ns["mlp_accuracies"]) == ns["mlp_epochs"]
    assert ns["cnn_errors"] == round((1 - ns["test_accuracy"]) * 1000)
    assert ns["mlp_errors"] == round((1 - ns["mlp_accuracy"]) * 1000)
    assert ns["cnn_errors"] < ns["mlp_errors"]


def test_filters_and_feature_maps(run, ns):
    filters = ns["filters"]
    assert filters.shape == (16, 1, 3, 3)
    assert torch.equal(filters, ns["model"][0].weight.detach().cpu())
    assert ns["first_maps"].shape == (16, 28, 28) and ns["second_maps"].shape == (32, 14, 14)
    assert (ns["first_maps"] >= 0).all()  # после ReLU
    for name in ("cnn_edges", "cnn_vs_mlp", "cnn_filters", "cnn_feature_maps"):
        figure = run.out / f"{name}.png"
        assert figure.is_file() and figure.stat().st_size > 5_000, name
