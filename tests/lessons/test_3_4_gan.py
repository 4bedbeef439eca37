"""Урок 3.4 (lessons/03_prodvinutyi/04_gan.py): detach на шаге дискриминатора, поочерёдный
цикл, качество по классификатору, дискриминатор, который выигрывает, схлопывание мод."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("3.4")


def test_data_in_the_range_of_tanh(ns):
    X_train = ns["X_train"]
    assert X_train.shape == (4000, 1, 28, 28)
    assert X_train.min().item() == pytest.approx(-1) and X_train.max().item() == pytest.approx(1)
    generated = ns["sample"](ns["generator"])
    assert generated.shape == (ns["num_samples"], 1, 28, 28)
    assert generated.min() >= -1 and generated.max() <= 1


def test_judge_is_a_real_classifier(ns):
    assert ns["judge_accuracy"] >= 0.88
    real = ns["real_quality"]
    # Настоящие цифры: классификатор уверен в большинстве, все 10 цифр поровну.
    assert real["confident_share"] >= 0.6
    assert real["classes"] == 10
    assert real["effective_classes"] > 9.5


def test_measure_counts_what_the_lesson_says(ns):
    judge, measure = ns["judge"].cpu(), ns["measure"]
    images = ns["X_test"][:300].cpu()
    quality = measure(images)
    with torch.no_grad():
        probabilities = F.softmax(judge(images), dim=1)
    top, label = probabilities.max(dim=1)
    assert quality["confident_share"] == pytest.approx((top >= 0.9).float().mean().item())
    shares = torch.bincount(label, minlength=10).double() / len(label)
    entropy = -(shares[shares > 0] * shares[shares > 0].log()).sum().item()
    assert quality["effective_classes"] == pytest.approx(torch.tensor(entropy).exp().item())
    # Одна и та же картинка 300 раз: один класс, разнообразие ноль.
    same = measure(images[:1].expand(300, -1, -1, -1).contiguous())
    assert same["effective_classes"] == pytest.approx(1.0)
    assert same["classes"] <= 1 and same["diversity"] == pytest.approx(0.0, abs=1e-4)
    # Картинка из обучающей части — расстояние до ближайшей настоящей ноль.
    assert measure(ns["X_train"][:5].cpu())["nearest_real"] == pytest.approx(0.0, abs=1e-3)


def test_detach_keeps_the_discriminator_step_away_from_the_generator(ns):
    assert ns["detach_keeps_generator_clean"] is True
    # Без detach потери D тянут генератор почти прямо против его цели.
    assert ns["detach_cosine"] < -0.8


def test_training_loop_backpropagates_into_the_generator_once_per_step(ns):
    """С detach градиент по параметрам генератора считается только на его шаге."""
    torch.manual_seed(0)
    generator, discriminator = ns["make_generator"](), ns["make_discriminator"]()
    before = [p.detach().clone() for p in generator.parameters()]
    d_before = [p.detach().clone() for p in discriminator.parameters()]
    calls = []
    first = next(generator.parameters())
    first.register_hook(lambda grad: calls.append(1))
    history = ns["train_gan"](generator, discriminator, 3, 1e-3, 1e-3, d_steps=2, name="тест")
    assert len(calls) == 3  # три шага генератора, шаги D (их шесть) генератор не трогают
    assert len(history["d_loss"]) == len(history["g_grad"]) == 3
    assert all(not torch.equal(a, b) for a, b in zip(before, generator.parameters(), strict=True))
    assert any(
        not torch.equal(a, b) for a, b in zip(d_before, discriminator.parameters(), strict=True)
    )


def test_gan_samples_are_digits_by_the_judge(ns):
    gan, untrained, real = ns["gan_quality"], ns["untrained_quality"], ns["real_quality"]
    assert untrained["confident_share"] < 0.02
    # Быстрый режим (200 шагов): уверенных 9–20 %, 6–7 цифр; полный — около 40 % и 8–10.
    assert ns["confident_share"] == gan["confident_share"] >= 0.05
    assert ns["classes_present"] == gan["classes"] >= 4
    assert gan["effective_classes"] >= 6
    # Не мусор, который классификатор принял за цифры: картинки близки к настоящим.
    assert gan["nearest_real"] < 0.6 * untrained["nearest_real"]
    assert gan["nearest_real"] < 1.6 * real["nearest_real"]
    assert gan["diversity"] > 0.7 * real["diversity"]
    history = ns["history"]
    assert len(history["d_loss"]) == ns["num_steps"]
    # Здоровая игра: в конце D не уверен ни в настоящих, ни в подделках.
    d_real = sum(history["d_real"][-50:]) / 50
    d_fake = sum(history["d_fake"][-50:]) / 50
    assert 0.3 < d_real < 0.95 and 0.05 < d_fake < 0.6


def test_discriminator_that_wins_starves_the_generator(ns):
    assert len(ns["strong_history"]["d_fake"]) == ns["failure_steps"]
    assert ns["strong_d_fake"] < 0.01 < 0.1 < ns["balanced_d_fake"]
    assert ns["strong_g_grad"] < 0.01 * ns["balanced_g_grad"]
    # Насыщающаяся форма даёт в сотни раз меньший градиент, чем ненасыщающаяся.
    assert ns["saturating_grad"] < 0.01 * ns["non_saturating_grad"]
    strong, untrained = ns["strong_quality"], ns["untrained_quality"]
    assert strong["confident_share"] < 0.05
    assert strong["nearest_real"] > 0.8 * untrained["nearest_real"]


def test_saturating_gradient_vanishes_for_a_confident_discriminator():
    """Производная ln(1 − σ(l)) по l равна −σ(l); у −ln σ(l) она равна −(1 − σ(l))."""
    logits = torch.tensor([-12.0, -6.0, 0.0], requires_grad=True)
    criterion = nn.BCEWithLogitsLoss(reduction="sum")
    (-criterion(logits, torch.zeros(3))).backward()
    saturating = logits.grad.clone()
    logits.grad = None
    criterion(logits, torch.ones(3)).backward()
    assert torch.allclose(saturating, -torch.sigmoid(logits.detach()))
    assert torch.allclose(logits.grad, -(1 - torch.sigmoid(logits.detach())))
    assert saturating[0].abs() < 1e-5 and logits.grad[0].abs() > 0.99


def test_mode_collapse_is_measured(ns):
    gan, collapsed = ns["gan_quality"], ns["collapse_quality"]
    assert len(ns["collapse_history"]["d_loss"]) == ns["collapse_steps"] == 100
    # «С восьми-девяти до одного-трёх»: эффективное число классов падает в разы.
    assert gan["effective_classes"] > 7
    assert collapsed["effective_classes"] < 0.45 * gan["effective_classes"]
    assert collapsed["effective_classes"] < 3.5
    # Картинки похожи друг на друга и уходят от настоящих.
    assert collapsed["diversity"] < 0.75 * gan["diversity"]  # быстрый режим: 3.1 → 2.1
    assert collapsed["nearest_real"] > gan["nearest_real"]
    # Отстающий дискриминатор пропускает подделки.
    assert sum(ns["collapse_history"]["d_fake"][-20:]) / 20 > 0.8
    track = ns["collapse_track"]
    assert [step for step, _, _ in track] == list(range(10, 101, 10))
    assert track[-1][1] < track[0][1] and track[-1][2] < track[0][2]


def test_figures_saved(run):
    for name in ("gan_samples", "gan_classes", "gan_failures", "gan_training"):
        figure = run.out / f"{name}.png"
        assert figure.is_file() and figure.stat().st_size > 10_000


def test_fashion_mnist(fashion_run):
    result = fashion_run("3.4")
    ns = result.namespace
    assert ns["X_train"].shape == (4000, 1, 28, 28)
    assert ns["info"].classes[0] == "футболка"
    assert ns["judge_accuracy"] > 0.7  # быстрый режим: около 0.79
    gan, untrained, real = ns["gan_quality"], ns["untrained_quality"], ns["real_quality"]
    assert gan["nearest_real"] < 0.9 * untrained["nearest_real"]
    assert gan["diversity"] > 0.5 * real["diversity"]
    assert gan["confident_share"] > untrained["confident_share"]
