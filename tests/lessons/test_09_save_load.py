"""Урок 1.9 (lessons/01_osnovy/09_save_load.py): state_dict, чекпойнт, weights_only, дообучение."""

import pickle

import pytest
import torch
from safetensors.torch import load_file

WARNING_TEXT = "Этот код выполнился при загрузке файла"


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("1.9")


def test_outputs_go_to_run_folder(run, ns):
    for name in ("weights_path", "checkpoint_path", "untrusted_path", "safetensors_path"):
        path = ns[name]
        assert path.is_file() and path.parent == run.out, name
    assert ns["pretrained_path"].parent == run.out


def test_state_dict_holds_named_tensors(run, ns):
    state = ns["restored"].state_dict()
    # У ReLU (1) и Dropout (2) нет весов — в словаре их нет.
    assert list(state) == ["0.weight", "0.bias", "3.weight", "3.bias"]
    assert state["0.weight"].shape == (32, 2) and state["3.weight"].shape == (3, 32)
    # Файл весов читается в этом тесте независимо и совпадает с загруженной копией.
    saved = torch.load(run.out / "classifier_weights.pt", weights_only=True)
    assert set(saved) == set(state)
    assert all(torch.equal(saved[k], state[k]) for k in state)
    assert ns["same_outputs"]
    # Загруженная модель сначала в режиме обучения, и Dropout делает ответы случайными.
    assert ns["restored_was_training"] is True
    assert ns["outputs_in_train_mode_differ"] is True


def test_default_torch_load_is_weights_only(run):
    """«С PyTorch 2.6 weights_only=True — значение по умолчанию»."""
    with pytest.raises(pickle.UnpicklingError):
        torch.load(run.out / "untrusted.pt")


def test_safe_globals_allows_only_the_named_class(run, ns):
    assert ns["config_refused"] is True
    assert ns["loaded_config"] == ns["TrainConfig"](ns["lr"], ns["batch_size"])
    with pytest.raises(pickle.UnpicklingError):
        torch.load(run.out / "checkpoint_with_config.pt", weights_only=True)
    # Разрешение на время чтения не пускает другой «код» из чужого файла.
    with (
        torch.serialization.safe_globals([ns["TrainConfig"]]),
        pytest.raises(pickle.UnpicklingError),
    ):
        torch.load(run.out / "untrusted.pt", weights_only=True)


def test_whole_model_needs_weights_only_false(run, ns):
    assert ns["whole_model_refused"] is True
    whole = ns["whole_model"]
    assert type(whole) is type(ns["resumed_model"])
    resumed = ns["resumed_state"]
    assert all(torch.equal(whole.state_dict()[k], resumed[k]) for k in resumed)


def test_batchnorm_updates_statistics_even_when_frozen():
    """Текст урока: BatchNorm с замороженными весами в train() всё равно обновляет средние."""
    norm = torch.nn.BatchNorm1d(3)
    norm.requires_grad_(False)
    before = norm.running_mean.clone()
    norm.train()
    norm(torch.randn(8, 3) + 5)
    assert not torch.equal(norm.running_mean, before)
    frozen = norm.running_mean.clone()
    norm.eval()
    norm(torch.randn(8, 3) + 5)
    assert torch.equal(norm.running_mean, frozen)


def test_resumed_weights_equal_uninterrupted_exactly(ns):
    uninterrupted, resumed = ns["uninterrupted_state"], ns["resumed_state"]
    assert set(uninterrupted) == set(resumed)
    for name in uninterrupted:
        assert torch.equal(uninterrupted[name], resumed[name]), name
    assert ns["resumed_losses"] == ns["uninterrupted_losses"]
    assert len(ns["resumed_losses"]) == ns["num_epochs"]
    # Обучение действительно шло: веса ушли от начальных, потери упали.
    losses = ns["uninterrupted_losses"]
    assert losses[-1] < 0.5 * losses[0]


def test_resume_needs_optimizer_and_rng_state(ns):
    """Если забыть состояние Adam или генератора загрузчика, точного совпадения нет."""
    reference = ns["uninterrupted_state"]
    for key in ("no_adam_model", "no_rng_model"):
        state = ns[key].state_dict()
        assert not all(torch.equal(state[k], reference[k]) for k in reference), key


def test_checkpoint_contents(run, ns):
    checkpoint = torch.load(run.out / "checkpoint.pt", map_location="cpu", weights_only=True)
    half = ns["num_epochs"] // 2
    assert checkpoint["epoch"] == half
    assert checkpoint["losses"] == ns["uninterrupted_losses"][:half]
    assert set(checkpoint) >= {"model", "optimizer", "loader_rng", "torch_rng", "cuda_rng"}
    # Состояние генератора CUDA сохраняется там, где он есть (Dropout на GPU берёт маски из него).
    assert len(checkpoint["cuda_rng"]) == (
        torch.cuda.device_count() if torch.cuda.is_available() else 0
    )
    assert checkpoint["optimizer"]["state"], "в чекпойнте нет состояния Adam"
    # Веса в чекпойнте — середина пути: ещё не равны итоговым.
    final = ns["uninterrupted_state"]
    assert not all(torch.equal(checkpoint["model"][k], final[k]) for k in final)


def test_weights_only_refuses_code(run, ns, capsys):
    assert ns["weights_only_refused"]
    # Проверяем отказ сами, тем же файлом из папки результатов.
    with pytest.raises(pickle.UnpicklingError):
        torch.load(run.out / "untrusted.pt", weights_only=True)
    # Без weights_only файл исполняет записанный в нём вызов print.
    loaded = torch.load(run.out / "untrusted.pt", weights_only=False)
    assert WARNING_TEXT in capsys.readouterr().out
    assert loaded["extra"] is None and torch.equal(loaded["weight"], torch.ones(3))
    assert ns["unsafe_result"]["extra"] is None


def test_safetensors_roundtrip(run, ns):
    assert ns["safetensors_match"]
    loaded = load_file(run.out / "classifier.safetensors")
    resumed = ns["resumed_state"]
    assert set(loaded) == set(resumed)
    assert all(torch.equal(loaded[k], resumed[k].cpu()) for k in resumed)


def test_finetuning_freezes_features_and_trains_head(run, ns):
    finetuned = ns["finetuned"]
    pretrained = torch.load(run.out / "digits_0_4.pt", weights_only=True)
    state = finetuned.state_dict()
    feature_keys = [k for k in pretrained if k.startswith("features.")]
    assert feature_keys
    for key in feature_keys:
        assert torch.equal(state[key].cpu(), pretrained[key]), f"{key} изменился"
    # Голова новая и обучилась: не совпадает ни со старой, ни со своим начальным состоянием.
    assert not torch.equal(state["head.weight"].cpu(), pretrained["head.weight"])
    assert not torch.equal(state["head.weight"], ns["head_before"]["weight"])
    trainable = {n for n, p in finetuned.named_parameters() if p.requires_grad}
    assert trainable == {"head.weight", "head.bias"}
    assert ns["trainable"] == ["head.weight", "head.bias"]
    head_params = {id(p) for p in finetuned.head.parameters()}
    optimizer_params = {
        id(p) for group in ns["head_optimizer"].param_groups for p in group["params"]
    }
    assert optimizer_params == head_params
    assert ns["num_trainable"] == 128 * 5 + 5


def test_finetuned_accuracy_beats_chance(ns):
    assert ns["pretrained_accuracy"] > 0.9
    # Пять классов: угадывание даёт 0.2. Пересчитываем точность здесь, а не берём из урока.
    finetuned = ns["finetuned"]
    val = ns["new_val"].dataset  # Subset проверочной части новой задачи
    X = torch.stack([val[i][0] for i in range(len(val))])
    y = torch.stack([val[i][1] for i in range(len(val))])
    assert set(y.tolist()) == {0, 1, 2, 3, 4}
    finetuned.eval()
    with torch.no_grad():
        accuracy = (finetuned(X).argmax(1) == y).float().mean().item()
    assert accuracy == pytest.approx(ns["finetuned_accuracy"])
    assert accuracy > 0.6
    # Новая задача собрана ровно из цифр 5–9 исходного набора.
    task_images = val.dataset.tensors[0]
    assert len(task_images) == (ns["labels"] >= 5).sum().item()
    assert torch.equal(task_images, ns["images"][ns["labels"] >= 5])
