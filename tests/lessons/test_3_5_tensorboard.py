"""Урок 3.5 (lessons/03_prodvinutyi/05_tensorboard.py): журналы SummaryWriter.

Журналы читаются обратно собственным читателем TensorBoard (EventAccumulator): числа,
картинка, гистограммы, граф и гиперпараметры должны быть ровно теми, что записал урок.
"""

import io
from importlib.metadata import entry_points

import numpy as np
import pytest
import torch
from PIL import Image
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2
from torch.utils.tensorboard import SummaryWriter

KEEP_ALL = {"scalars": 0, "images": 0, "histograms": 0, "tensors": 0}


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("3.5")


@pytest.fixture(scope="module")
def logs(run):
    """Журнал каждого запуска, прочитанный целиком: {lr: EventAccumulator}."""
    ns = run.namespace
    result = {}
    for lr in ns["learning_rates"]:
        accumulator = EventAccumulator(str(ns["logdir"] / f"lr={lr}"), size_guidance=KEEP_ALL)
        accumulator.Reload()
        result[lr] = accumulator
    return result


def steps_per_epoch(ns):
    return -(-len(ns["train_set"]) // ns["batch_size"])  # последний батч неполный


def test_one_folder_per_setting(run):
    ns = run.namespace
    logdir = ns["logdir"]
    assert logdir == run.out / "runs"
    assert len(ns["learning_rates"]) == 2 and ns["learning_rates"][0] > ns["learning_rates"][1]
    folders = sorted(path.name for path in logdir.iterdir())
    assert folders == sorted(f"lr={lr}" for lr in ns["learning_rates"])
    for folder in logdir.iterdir():
        # add_hparams(run_name=".") пишет в папку запуска: подпапок нет, файлов событий два.
        assert not [path for path in folder.iterdir() if path.is_dir()]
        events = list(folder.glob("events.out.tfevents.*"))
        assert len(events) == 2 and all(path.stat().st_size > 0 for path in events)


def test_scalars(run, logs):
    ns = run.namespace
    total_steps = ns["num_epochs"] * steps_per_epoch(ns)
    for lr, accumulator in logs.items():
        assert set(accumulator.Tags()["scalars"]) == {
            "loss/train",
            "loss/test",
            "accuracy/test",
            "hparam/test_accuracy",
            "hparam/test_loss",
        }
        train = accumulator.Scalars("loss/train")
        assert [event.step for event in train] == list(
            range(ns["log_every"], total_steps + 1, ns["log_every"])
        )
        assert all(event.value > 0 for event in train)
        # Потери на обучении падают: последние точки ниже первых.
        assert sum(e.value for e in train[-2:]) < 0.8 * sum(e.value for e in train[:2])
        accuracy = accumulator.Scalars("accuracy/test")
        assert [event.step for event in accuracy] == [
            (epoch + 1) * steps_per_epoch(ns) for epoch in range(ns["num_epochs"])
        ]
        assert accuracy[-1].value == pytest.approx(ns["final_results"][lr], abs=1e-6)
        assert len(accumulator.Scalars("loss/test")) == ns["num_epochs"]
        # Урок прочёл те же числа тем же читателем.
        assert ns["logged"][lr]["loss/train"] == [(e.step, e.value) for e in train]


def test_logged_accuracy_is_the_models_accuracy(run, logs):
    """Последняя модель урока — запуск с меньшей скоростью; её точность пересчитываем."""
    ns = run.namespace
    model, lr = ns["model"].cpu().eval(), ns["learning_rates"][-1]
    correct = 0
    with torch.no_grad():
        for images, labels in ns["test_loader"]:
            correct += (model(images).argmax(dim=1) == labels).sum().item()
    accuracy = correct / len(ns["test_set"])
    assert logs[lr].Scalars("accuracy/test")[-1].value == pytest.approx(accuracy, abs=1e-6)


def test_higher_learning_rate_wins_in_this_budget(run):
    ns = run.namespace
    fast, slow = ns["learning_rates"]
    assert ns["best_lr"] == fast
    assert ns["final_results"][fast] > ns["final_results"][slow]
    assert ns["best_accuracy"] >= 0.85  # быстрый режим: 1500 картинок, 2 эпохи


def test_image(run, logs):
    for accumulator in logs.values():
        assert accumulator.Tags()["images"] == ["examples/train"]
        (event,) = accumulator.Images("examples/train")
        assert event.step == 0
        # make_grid: 32 картинки 28×28 по 8 в ряд, рамки по 2 пикселя.
        assert (event.width, event.height) == (8 * 30 + 2, 4 * 30 + 2)
        picture = Image.open(io.BytesIO(event.encoded_image_string))
        assert picture.size == (242, 122)
        assert len(np.unique(np.asarray(picture.convert("L")))) > 10  # не пустая картинка


def test_histograms_of_every_parameter(run, logs):
    ns = run.namespace
    model = ns["model"].cpu()
    names = [name for name, _ in model.named_parameters()]
    for accumulator in logs.values():
        assert accumulator.Tags()["histograms"] == names
        for name in names:
            assert len(accumulator.Histograms(name)) == ns["num_epochs"]
    # Последняя гистограмма последнего запуска описывает итоговые веса модели.
    last_run = logs[ns["learning_rates"][-1]]
    for name, parameter in model.named_parameters():
        histogram = last_run.Histograms(name)[-1].histogram_value
        values = parameter.detach().double()
        assert histogram.num == values.numel()
        assert histogram.min == pytest.approx(values.min().item(), abs=1e-6)
        assert histogram.max == pytest.approx(values.max().item(), abs=1e-6)
        assert histogram.sum == pytest.approx(values.sum().item(), abs=1e-4)


def test_default_size_guidance_keeps_one_histogram(run):
    ns = run.namespace
    accumulator = EventAccumulator(str(ns["logdir"] / f"lr={ns['learning_rates'][0]}"))
    accumulator.Reload()
    assert ns["num_epochs"] >= 2
    assert len(accumulator.Histograms("features.0.weight")) == 1


def test_graph(logs):
    for accumulator in logs.values():
        assert accumulator.Tags()["graph"] is True
        ops = [node.op for node in accumulator.Graph().node]
        names = " ".join(node.name for node in accumulator.Graph().node)
        assert ops.count("aten::_convolution") == 2
        assert ops.count("aten::max_pool2d") == 2 and "aten::linear" in ops
        assert "Conv2d[0]" in names and "Linear[classifier]" in names


def test_hparams(run, logs):
    ns = run.namespace
    for lr, accumulator in logs.items():
        content = accumulator.PluginTagToContent("hparams")
        experiment = plugin_data_pb2.HParamsPluginData.FromString(
            content["_hparams_/experiment"]
        ).experiment
        assert {info.name for info in experiment.hparam_infos} == {
            "lr",
            "batch_size",
            "num_epochs",
        }
        assert {info.name.tag for info in experiment.metric_infos} == {
            "hparam/test_accuracy",
            "hparam/test_loss",
        }
        start = plugin_data_pb2.HParamsPluginData.FromString(
            content["_hparams_/session_start_info"]
        ).session_start_info
        assert start.hparams["lr"].number_value == pytest.approx(lr)
        assert start.hparams["batch_size"].number_value == ns["batch_size"]
        assert start.hparams["num_epochs"].number_value == ns["num_epochs"]
        (metric,) = accumulator.Scalars("hparam/test_accuracy")
        assert metric.value == pytest.approx(ns["final_results"][lr], abs=1e-6)


def test_add_hparams_default_and_writer_appends(tmp_path):
    """Два утверждения урока о SummaryWriter, проверенные на пустой папке."""
    with SummaryWriter(log_dir=str(tmp_path)) as writer:
        writer.add_scalar("x", 1.0, 0)
        writer.add_hparams({"lr": 0.1}, {"hparam/m": 1.0})  # без run_name
    subfolders = [path for path in tmp_path.iterdir() if path.is_dir()]
    assert len(subfolders) == 1  # подпапка с отметкой времени
    before = set(tmp_path.glob("events.out.tfevents.*"))
    with SummaryWriter(log_dir=str(tmp_path)) as writer:
        writer.add_scalar("x", 2.0, 0)
    after = set(tmp_path.glob("events.out.tfevents.*"))
    assert before < after and len(after) == len(before) + 1  # старое не стёрто


def test_tensorboard_command_is_installed(run):
    scripts = {entry.name for entry in entry_points(group="console_scripts")}
    assert "tensorboard" in scripts
    assert run.out.joinpath("tensorboard_runs.png").stat().st_size > 10_000
