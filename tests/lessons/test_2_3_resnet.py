"""Урок 2.3 (lessons/02_nachalnyi/03_resnet.py): остаточный блок, деградация, ResNet-18, перенос."""

import pytest
import torch
from torch import nn
from torchvision.models import resnet18
from torchvision.models.resnet import BasicBlock as TorchvisionBlock


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("2.3")


def test_residual_block_shapes_and_shortcut(run, ns):
    assert ns["block_shape"] == (4, 8, 14, 14)
    assert ns["wider_shape"] == (4, 16, 7, 7)
    assert ns["block"].downsample is None and ns["wider"].downsample is not None
    assert ns["identity_error"] == 0.0

    # Обходная связь действительно складывает: y = ReLU(F(x) + x).
    BasicBlock = ns["BasicBlock"]
    torch.manual_seed(0)
    block = BasicBlock(4, 4).eval()
    plain = BasicBlock(4, 4, residual=False).eval()
    plain.load_state_dict(block.state_dict())
    x = torch.randn(2, 4, 6, 6)
    with torch.no_grad():
        inner = plain.bn2(plain.conv2(torch.relu(plain.bn1(plain.conv1(x)))))
        assert torch.allclose(block(x), torch.relu(inner + x), atol=1e-6)
        assert torch.allclose(plain(x), torch.relu(inner), atol=1e-6)


def test_zero_init_residual_makes_plain_blocks_identity():
    # «resnet18(zero_init_residual=True): каждый блок без downsample пропускает вход как есть».
    torch.manual_seed(0)
    model = resnet18(weights=None, zero_init_residual=True).eval()
    image = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        full = model(image)
        for name in ("layer1", "layer2", "layer3", "layer4"):
            stage = getattr(model, name)
            assert stage[1].downsample is None and torch.equal(
                stage[1].bn2.weight, torch.zeros_like(stage[1].bn2.weight)
            )
            setattr(model, name, nn.Sequential(*stage[:1]))  # блоки без downsample убраны
        assert torch.allclose(model(image), full, atol=1e-6)
    # «в torchvision есть ResNet из 18, 34, 50, 101 и 152 слоёв»
    import torchvision.models as models

    for depth in (18, 34, 50, 101, 152):
        assert callable(getattr(models, f"resnet{depth}"))


def test_our_block_matches_torchvision_block(run, ns):
    torch.manual_seed(0)
    theirs = TorchvisionBlock(
        8,
        16,
        stride=2,
        downsample=nn.Sequential(nn.Conv2d(8, 16, 1, 2, bias=False), nn.BatchNorm2d(16)),
    )
    ours = ns["BasicBlock"](8, 16, stride=2)
    ours.load_state_dict(theirs.state_dict(), strict=True)
    x = torch.randn(3, 8, 10, 10)
    with torch.no_grad():
        ours.train(), theirs.train()
        assert torch.allclose(ours(x), theirs(x), atol=1e-6)
        ours.eval(), theirs.eval()
        assert torch.allclose(ours(x), theirs(x), atol=1e-6)


def test_degradation_deep_plain_trains_worse_than_shallow(run, ns):
    losses = ns["final_losses"]
    shallow, plain, residual = (
        losses["мелкая простая"],
        losses["глубокая простая"],
        losses["глубокая остаточная"],
    )
    assert plain > shallow + 0.2  # глубже — хуже даже на обучающих картинках
    assert residual < shallow - 0.2 and residual < plain - 0.5  # остаточная лучше обеих
    steps = ns["depth_epochs"] * len(range(0, ns["depth_train_size"], ns["depth_batch_size"]))
    for curve in ns["depth_losses"].values():
        assert len(curve) == steps
    # Одна и та же глубина: 15 блоков по 2 свёртки.
    convs = {name: len(grads) for name, grads in ns["depth_grads"].items()}
    assert convs == {"мелкая простая": 4, "глубокая простая": 30, "глубокая остаточная": 30}
    plain_model = ns["depth_models"]["глубокая простая"]
    residual_model = ns["depth_models"]["глубокая остаточная"]
    assert sum(p.numel() for p in plain_model.parameters()) == sum(
        p.numel() for p in residual_model.parameters()
    )


def test_gradient_norms_per_layer(run, ns):
    plain, residual = (
        ns["depth_grads"]["глубокая простая"],
        ns["depth_grads"]["глубокая остаточная"],
    )
    # «у первых свёрток градиент в десятки раз больше, чем у последних»
    assert plain[0] > 10 * plain[-1]
    assert ns["grad_spread"]["глубокая простая"] > 20
    # «различаются в разы, а не в десятки раз»
    assert ns["grad_spread"]["глубокая остаточная"] < 10
    assert ns["grad_spread"]["глубокая остаточная"] == pytest.approx(max(residual) / min(residual))


def test_resnet18_matches_torchvision(run, ns):
    assert ns["ours_parameters"] == ns["reference_parameters"] == 11_689_512
    assert ns["resnet_output_error"] < 1e-5
    ours, reference = ns["ours"], ns["reference"]
    assert [(k, v.shape) for k, v in ours.state_dict().items()] == [
        (k, v.shape) for k, v in reference.state_dict().items()
    ]
    # Независимо от урока: новая сеть torchvision, её веса в нашей — тот же ответ.
    torch.manual_seed(3)
    fresh = resnet18(weights=None).eval()
    mine = ns["ResNet18"]().eval()
    mine.load_state_dict(fresh.state_dict(), strict=True)
    image = torch.randn(2, 3, 48, 48)
    with torch.no_grad():
        assert torch.allclose(mine(image), fresh(image), atol=1e-5)


def test_transfer_beats_training_from_scratch(run, ns):
    assert tuple(ns["X_few"].shape) == (50, 1, 28, 28)
    assert torch.bincount(ns["y_few"], minlength=5).tolist() == [10] * 5
    assert len(ns["X_new_test"]) == 500 and set(ns["y_new_test"].tolist()) == set(range(5))
    assert set(ns["y_old"].tolist()) == set(range(5)) and len(ns["X_old"]) == 2000
    assert ns["pretrain_accuracy"] >= 0.8
    # «три стадии по одному блоку с 16, 32 и 64 каналами»
    blocks = [m for m in ns["pretrained"].modules() if isinstance(m, ns["BasicBlock"])]
    assert [b.conv2.out_channels for b in blocks] == [16, 32, 64]
    finetuned, scratch, pretrained = ns["finetuned"], ns["scratch"], ns["pretrained"]
    # Голова заменена: 5 новых классов, это не голова предобученной сети.
    assert finetuned.fc.out_features == 5 and finetuned.fc is not pretrained.fc
    # Сообщённые доли пересчитываются по самим моделям.
    accuracy = ns["accuracy"]
    X, y = ns["X_new_test"], ns["y_new_test"]
    assert ns["finetune_accuracy"] == pytest.approx(accuracy(finetuned, X, y), abs=1e-6)
    assert ns["scratch_accuracy"] == pytest.approx(accuracy(scratch, X, y), abs=1e-6)
    assert ns["finetune_accuracy"] > ns["scratch_accuracy"] + 0.05


def test_figures_saved(run):
    for name in ("resnet_degradation", "resnet_transfer"):
        figure = run.out / f"{name}.png"
        assert figure.is_file() and figure.stat().st_size > 10_000
