"""Урок 3.3 (lessons/03_prodvinutyi/03_vae.py): трюк репараметризации, KL в замкнутом виде,
ELBO на тестовой части против двух точек отсчёта, оценка ln p(x), карта двумерного кода."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence


@pytest.fixture(scope="module")
def run(quick_runs):
    return quick_runs("3.3")


def negative_elbo(model, x, samples=20):
    """−ELBO каждой картинки, посчитанное здесь заново (среднее по samples кодам)."""
    model.eval()
    total = torch.zeros(len(x))
    with torch.no_grad():
        mu, log_var = model.encode(x)
        std = torch.exp(0.5 * log_var)
        for _ in range(samples):
            z = mu + std * torch.randn_like(std)
            logits = model.decoder(z)
            rec = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(dim=1)
            kl = kl_divergence(Normal(mu, std), Normal(0.0, 1.0)).sum(dim=1)
            total += (rec + kl) / samples
    return total


def test_data_are_flat_pixels_in_unit_interval(ns):
    X_train, X_test = ns["X_train"], ns["X_test"].cpu()
    assert X_train.shape == (4000, 784) and X_test.shape == (1000, 784)
    assert X_train.min() >= 0 and X_train.max() <= 1 and X_train.max() > 0.99
    assert torch.bincount(ns["y_test"]).tolist() == [100] * 10


def test_sample_cuts_the_graph_and_the_trick_keeps_it(ns):
    assert ns["sample_has_graph"] is False
    assert ns["z_sampled"].grad_fn is None
    assert ns["z"].grad_fn is not None
    # ∂z/∂μ = 1, ∂z/∂σ = ε — ровно то, что печатает урок.
    assert torch.equal(ns["trick_grad_mu"], torch.ones(2))
    torch.manual_seed(1)
    eps = torch.randn(2)
    assert torch.allclose(ns["trick_grad_std"], eps)
    # rsample() — тот же трюк: с тем же зерном то же число.
    assert torch.allclose(ns["z_rsample"], ns["z"].detach())
    assert ns["z_rsample"].grad_fn is not None


def test_reparameterize_gives_gradients_to_mu_and_log_var(ns):
    reparameterize = ns["reparameterize"]
    mu = torch.tensor([0.3, -2.0, 1.5], requires_grad=True)
    log_var = torch.tensor([0.0, -1.0, 2.0], requires_grad=True)
    torch.manual_seed(7)
    z = reparameterize(mu, log_var)
    torch.manual_seed(7)
    eps = torch.randn(3)
    std = torch.exp(0.5 * log_var.detach())
    assert torch.allclose(z, mu.detach() + std * eps)
    z.sum().backward()
    assert torch.allclose(mu.grad, torch.ones(3))
    # ∂z/∂(ln σ²) = ½·σ·ε
    assert torch.allclose(log_var.grad, 0.5 * std * eps)
    # Распределение то же: среднее и стандартное отклонение по многим z.
    many = reparameterize(mu.detach().expand(200_000, 3), log_var.detach().expand(200_000, 3))
    assert torch.allclose(many.mean(0), mu.detach(), atol=0.05)
    assert torch.allclose(many.std(0), std, rtol=0.02)


def test_monte_carlo_gradient_matches_the_exact_one(ns):
    mu, std = ns["mu"].detach(), ns["std"].detach()
    # 100 000 ε: стандартная ошибка не больше ~0.02, допуск — с запасом.
    assert torch.allclose(ns["mc_grad_mu"], 2 * mu, atol=0.08)
    assert torch.allclose(ns["mc_grad_std"], 2 * std, atol=0.12)


def test_kl_closed_form_matches_torch_and_monte_carlo(ns):
    formula, from_torch = ns["kl_formula"], ns["kl_torch"]
    assert formula.shape == (4,)
    assert torch.allclose(formula, from_torch, rtol=1e-5)
    error = ns["kl_monte_carlo_error"]
    assert 0 < error.max() < 0.05
    assert ((ns["kl_monte_carlo"] - formula).abs() < 5 * error).all()
    # Функцию урока проверяем и на своих случайных числах; KL ≥ 0 и равна 0 только у N(0, I).
    kl = ns["kl_to_standard_normal"]
    generator = torch.Generator().manual_seed(3)
    mu = torch.randn(50, 7, generator=generator) * 2
    log_var = torch.randn(50, 7, generator=generator)
    expected = kl_divergence(Normal(mu, torch.exp(0.5 * log_var)), Normal(0.0, 1.0)).sum(-1)
    assert torch.allclose(kl(mu, log_var), expected, rtol=1e-5, atol=1e-5)
    assert (kl(mu, log_var) > 0).all()
    assert kl(torch.zeros(3, 7), torch.zeros(3, 7)).abs().max() < 1e-7


def test_training_improved_the_elbo(ns):
    losses = ns["train_losses"]
    assert len(losses) == ns["num_epochs"]
    assert losses[-1] < 0.65 * losses[0]  # быстрый режим: около 280 → 155 нат
    assert all(later < earlier for earlier, later in zip(losses[:-1], losses[1:], strict=True))
    elbos = ns["test_elbos"]
    assert elbos[-1] > elbos[0]
    result = ns["result"]
    assert result["elbo"] == pytest.approx(result["reconstruction"] - result["kl"], abs=1e-3)
    assert result["kl"] > 1  # код действительно что-то несёт о картинке
    assert result["reconstruction"] < 0


def test_test_elbo_beats_both_baselines_and_is_recomputed(ns):
    test_elbo = ns["test_elbo"]
    # Урок говорит: ELBO обученной модели выше точного ln p(x) модели «без кода»
    # и намного выше необученной модели. Быстрый режим: около −157 против −211 и −550.
    assert test_elbo > ns["pixel_baseline"] + 30
    assert test_elbo > ns["untrained"]["elbo"] + 300
    model = ns["model"].cpu()
    X_test = ns["X_test"].cpu()
    torch.manual_seed(11)
    recomputed = -negative_elbo(model, X_test).mean().item()
    assert recomputed == pytest.approx(test_elbo, abs=1.5)


def test_pixel_baseline_is_the_exact_bernoulli_likelihood(ns):
    X_train, X_test = ns["X_train"], ns["X_test"].cpu()
    p = X_train.mean(0).clamp(1e-3, 1 - 1e-3)
    log_likelihood = (X_test * p.log() + (1 - X_test) * (1 - p).log()).sum(1).mean().item()
    assert ns["pixel_baseline"] == pytest.approx(log_likelihood, abs=1e-2)
    assert -260 < ns["pixel_baseline"] < -180


def test_importance_estimate_is_above_the_elbo(ns):
    # Оценка ln p(x) с K кодами — тоже нижняя граница, но не ниже ELBO.
    assert ns["importance_log_px"] > ns["test_elbo"] + 0.5
    assert ns["importance_log_px"] < ns["test_elbo"] + 30


def test_two_dimensional_code_is_worse_but_keeps_digits_apart(ns):
    assert ns["map_model"].to_mu.out_features == 2
    assert ns["map_test_elbo"] < ns["test_elbo"] - 5
    assert ns["map_test_elbo"] > ns["pixel_baseline"]
    # Меток VAE не видел, но соседи в коде 2 угадывают цифру много чаще, чем наугад (0.1).
    assert ns["knn_accuracy"] > 0.3
    assert ns["test_codes"].shape == (1000, 2)


def test_samples_and_map_pictures(run):
    ns = run.namespace
    assert ns["samples"].shape == (64, 1, 28, 28)
    assert 0 <= ns["samples"].min() and ns["samples"].max() <= 1
    assert ns["manifold"].shape == (225, 1, 28, 28)
    for name in ("vae_samples", "vae_latent_map", "vae_training"):
        figure = run.out / f"{name}.png"
        assert figure.is_file() and figure.stat().st_size > 10_000


def test_fashion_mnist(fashion_run):
    result = fashion_run("3.3")
    ns = result.namespace
    assert ns["X_train"].shape == (4000, 784) and ns["X_test"].shape == (2000, 784)
    assert ns["info"].classes[0] == "футболка"
    assert ns["test_elbo"] > ns["pixel_baseline"] + 20
    assert math.isfinite(ns["importance_log_px"])
