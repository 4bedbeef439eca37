"""Проверки упражнений урока 3.3 «Вариационный автокодировщик»."""

import math

import torch
from torch.distributions import Normal, kl_divergence

from kurs.exercises.spec import call, expect_tensor, fail

# %% 3.3.1 KL между двумя нормальными распределениями


def _kl_inputs(seed: int, shape: tuple[int, ...]):
    gen = torch.Generator().manual_seed(seed)
    mu1 = torch.randn(shape, generator=gen, dtype=torch.float64) * 1.5
    log_var1 = torch.randn(shape, generator=gen, dtype=torch.float64)
    mu2 = torch.randn(shape, generator=gen, dtype=torch.float64)
    log_var2 = torch.randn(shape, generator=gen, dtype=torch.float64) * 0.7
    return mu1, log_var1, mu2, log_var2


def _kl_reference(mu1, log_var1, mu2, log_var2):
    q = Normal(mu1, torch.exp(0.5 * log_var1))
    p = Normal(mu2, torch.exp(0.5 * log_var2))
    return kl_divergence(q, p).sum(dim=-1)


def _kl_diagnose(got, inputs, where):
    """Узнаём частые ошибки по значению: сравниваем с тем, что они дали бы."""
    mu1, log_var1, mu2, log_var2 = inputs
    zeros = torch.zeros_like(mu1)
    candidates = [
        (
            _kl_reference(mu2, log_var2, mu1, log_var1),
            "это KL(p ‖ q): распределения перепутаны местами. KL несимметрична, первым "
            "идёт q = N(mu1, exp(log_var1))",
        ),
        (
            _kl_reference(mu1, log_var1, zeros, zeros),
            "это KL до стандартного N(0, I), как в уроке: mu2 и log_var2 не учтены",
        ),
        (
            0.5
            * (
                log_var2
                - log_var1
                + (torch.exp(0.5 * log_var1) + (mu1 - mu2) ** 2) / torch.exp(0.5 * log_var2)
                - 1
            ).sum(dim=-1),
            "в дроби стоят стандартные отклонения σ, а нужны дисперсии σ² = exp(log_var)",
        ),
        (
            2 * _kl_reference(mu1, log_var1, mu2, log_var2),
            "ровно вдвое больше: в формуле есть множитель ½",
        ),
        (
            0.5 * _kl_reference(mu1, log_var1, mu2, log_var2),
            "ровно вдвое меньше: множитель ½ учтён дважды",
        ),
    ]
    for candidate, message in candidates:
        if got.shape == candidate.shape and torch.allclose(got.detach(), candidate, atol=1e-8):
            fail(f"({where}) {message}")


def check_kl_normal(kl_normal):
    cases = [(0, (6,)), (1, (4, 3)), (2, (2, 5, 4)), (3, (1, 1))]
    for seed, shape in cases:
        inputs = _kl_inputs(seed, shape)
        where = f"входы формы {shape}"
        expected = _kl_reference(*inputs)
        leaves = [tensor.clone().requires_grad_(True) for tensor in inputs]
        got = call(kl_normal, *leaves)
        if isinstance(got, torch.Tensor) and got.shape != expected.shape:
            if got.shape == torch.Size(shape):
                fail(
                    f"({where}) форма {tuple(got.shape)}, ожидалась {tuple(expected.shape)}: "
                    "KL по координатам нужно сложить по последней оси (dim=-1)"
                )
            if got.dim() == 0 and expected.dim() > 0:
                fail(
                    f"({where}) получено одно число, ожидалась форма {tuple(expected.shape)}: "
                    "складывайте только по последней оси, батч оставьте"
                )
        if isinstance(got, torch.Tensor) and got.shape == expected.shape:
            per_coordinate_mean = expected / shape[-1]
            if shape[-1] > 1 and torch.allclose(got.detach(), per_coordinate_mean, atol=1e-8):
                fail(f"({where}) это среднее по координатам, а KL по координатам складывается")
            if not torch.allclose(got.detach(), expected, atol=1e-8, rtol=1e-6):
                _kl_diagnose(got, inputs, where)
        expect_tensor(got, expected, what="KL", inputs=where, atol=1e-8, rtol=1e-6)
        if got.grad_fn is None:
            fail(
                f"({where}) результат оторван от графа вычислений: градиент не дойдёт до "
                "кодировщика (уберите .detach(), .item() и torch.no_grad())"
            )
        weights = torch.linspace(0.5, 1.5, expected.numel(), dtype=torch.float64)
        (got * weights.view(expected.shape)).sum().backward()
        reference = [tensor.clone().requires_grad_(True) for tensor in inputs]
        (_kl_reference(*reference) * weights.view(expected.shape)).sum().backward()
        names = ("mu1", "log_var1", "mu2", "log_var2")
        for name, mine, theirs in zip(names, leaves, reference, strict=True):
            if mine.grad is None:
                fail(f"({where}) градиент по {name} не дошёл: {name} не участвует в ответе")
            expect_tensor(mine.grad, theirs.grad, what=f"градиент по {name}", inputs=where)
    # Одинаковые распределения: KL ровно ноль.
    mu, log_var = _kl_inputs(5, (3, 4))[:2]
    same = call(kl_normal, mu, log_var, mu.clone(), log_var.clone())
    expect_tensor(
        same,
        torch.zeros(3, dtype=torch.float64),
        what="KL распределения до самого себя",
        inputs="mu2 = mu1, log_var2 = log_var1",
        atol=1e-10,
    )


# %% 3.3.2 Несколько кодов с репараметризацией


def check_sample_codes(sample_codes):
    gen = torch.Generator().manual_seed(10)
    mu = torch.randn(2, 3, generator=gen, dtype=torch.float64) * 2
    log_var = torch.randn(2, 3, generator=gen, dtype=torch.float64)
    std = torch.exp(0.5 * log_var)

    # Форма, тип, связь с графом — на малом K.
    torch.manual_seed(0)
    mu_in, log_var_in = mu.clone().requires_grad_(True), log_var.clone().requires_grad_(True)
    z = call(sample_codes, mu_in, log_var_in, 7)
    where = "mu и log_var формы (2, 3), num_samples = 7"
    if not isinstance(z, torch.Tensor):
        fail(f"({where}) ожидался torch.Tensor, получен {type(z).__name__}")
    if z.shape != (7, 2, 3):
        hint = ""
        if z.shape == (2, 3, 7):
            hint = ": номер кода должен идти первой осью"
        fail(f"({where}) ожидалась форма (7, 2, 3), получена {tuple(z.shape)}{hint}")
    if z.dtype != mu.dtype:
        fail(f"({where}) ожидался тип {mu.dtype}, как у mu, получен {z.dtype}")
    if z.grad_fn is None:
        fail(
            f"({where}) коды оторваны от графа вычислений: так работает Normal(...).sample(). "
            "Градиент должен доходить до mu и log_var — посчитайте z = μ + σ·ε сами"
        )
    if torch.equal(z[0].detach(), z[1].detach()):
        fail(f"({where}) все {len(z)} кодов одинаковые: для каждого кода нужна своя ε")

    if torch.equal(z.detach(), mu.expand_as(z)):
        fail(f"({where}) коды равны mu: случайной добавки σ·ε нет")

    # Градиенты: ∂z/∂μ = 1, ∂z/∂(ln σ²) = ½·σ·ε = ½·(z − μ) — при любой ε.
    weights = torch.linspace(-1.0, 2.0, z.numel(), dtype=torch.float64).view(z.shape)
    (z * weights).sum().backward()
    if mu_in.grad is None:
        fail(f"({where}) градиент по mu не дошёл: mu должно входить в z = μ + σ·ε")
    if not mu_in.grad.any():
        fail(
            f"({where}) градиент по mu нулевой: случайный выбор (torch.normal, sample()) "
            "не пропускает градиент к параметрам распределения — посчитайте z = μ + σ·ε"
        )
    expect_tensor(mu_in.grad, weights.sum(dim=0), what="градиент по mu", inputs=where, atol=1e-8)
    expected_grad = 0.5 * (weights * (z.detach() - mu)).sum(dim=0)
    if log_var_in.grad is None:
        fail(f"({where}) градиент по log_var не дошёл: σ должна вычисляться из log_var")
    if torch.allclose(log_var_in.grad, 2 * expected_grad, atol=1e-8):
        fail(
            f"({where}) градиент по log_var вдвое больше, чем у z = μ + exp(½·ln σ²)·ε: "
            "похоже, σ = exp(log_var) — но это дисперсия, а стандартное отклонение — "
            "exp(0.5 * log_var)"
        )
    expect_tensor(
        log_var_in.grad, expected_grad, what="градиент по log_var", inputs=where, atol=1e-8
    )

    # Распределение: на большом K среднее ≈ μ, стандартное отклонение ≈ σ, ε независимы.
    torch.manual_seed(1)
    num_samples = 40_000
    with torch.no_grad():
        many = call(sample_codes, mu, log_var, num_samples)
    where = f"mu и log_var формы (2, 3), num_samples = {num_samples}"
    if not isinstance(many, torch.Tensor) or many.shape != (num_samples, 2, 3):
        fail(f"({where}) ожидалась форма ({num_samples}, 2, 3)")
    many = many.detach()
    sample_std = many.std(dim=0)
    if torch.allclose(sample_std, std**2, rtol=0.05) and not torch.allclose(std, std**2, rtol=0.1):
        fail(
            f"({where}) стандартное отклонение кодов равно exp(log_var) — это дисперсия; "
            "σ = exp(0.5 * log_var)"
        )
    if (sample_std / std - 1).abs().max() > 0.03:
        fail(
            f"({where}) стандартное отклонение кодов не совпадает с σ = exp(½·log_var): "
            f"ваше {sample_std.flatten().tolist()}, ожидалось около {std.flatten().tolist()}"
        )
    error = 5 * std / math.sqrt(num_samples)
    if ((many.mean(dim=0) - mu).abs() > error).any():
        fail(
            f"({where}) среднее кодов не совпадает с mu: ваше "
            f"{many.mean(dim=0).flatten().tolist()}, ожидалось {mu.flatten().tolist()}"
        )
    eps = (many - mu) / std
    first, second = eps[:, 0, 0], eps[:, 1, 0]
    correlation = ((first - first.mean()) * (second - second.mean())).mean() / (
        first.std() * second.std()
    )
    if correlation.abs() > 0.05:
        fail(
            f"({where}) коды разных элементов батча связаны (корреляция "
            f"{correlation.item():.2f}): ε должна быть своей для каждого элемента, "
            "форма ε — (num_samples, *mu.shape)"
        )
    inner = eps[:, 0, 0], eps[:, 0, 1]
    correlation = ((inner[0] - inner[0].mean()) * (inner[1] - inner[1].mean())).mean() / (
        inner[0].std() * inner[1].std()
    )
    if correlation.abs() > 0.05:
        fail(
            f"({where}) координаты одного кода связаны (корреляция {correlation.item():.2f}): "
            "ε должна быть своей для каждой координаты"
        )


# %% 3.3.3 Оценка ln p(x) по K кодам


def _importance_inputs(seed: int, num_samples: int, batch: int, dtype=torch.float32):
    gen = torch.Generator().manual_seed(seed)
    log_px_given_z = -150 + 8 * torch.randn(num_samples, batch, generator=gen)
    log_pz = -20 + 3 * torch.randn(num_samples, batch, generator=gen)
    log_qz = -15 + 3 * torch.randn(num_samples, batch, generator=gen)
    return log_px_given_z.to(dtype), log_pz.to(dtype), log_qz.to(dtype)


def check_importance_log_px(importance_log_px):
    cases = [(0, 10, 5), (1, 50, 3), (2, 1, 4), (3, 200, 1)]
    for seed, num_samples, batch in cases:
        inputs = _importance_inputs(seed, num_samples, batch)
        where = f"K = {num_samples}, B = {batch}, ln p(x|z) около −150, float32"
        log_weights = (inputs[0] + inputs[1] - inputs[2]).double()
        expected = (torch.logsumexp(log_weights, dim=0) - math.log(num_samples)).float()
        got = call(importance_log_px, *inputs)
        if not isinstance(got, torch.Tensor):
            fail(f"({where}) ожидался torch.Tensor, получен {type(got).__name__}")
        if got.shape != expected.shape:
            hint = ""
            if got.dim() == 0:
                hint = ": нужна оценка для каждой картинки, по батчу не усредняйте"
            elif got.shape == (num_samples,):
                hint = ": усредняйте по кодам (первая ось), а не по картинкам"
            fail(
                f"({where}) ожидалась форма {tuple(expected.shape)}, "
                f"получена {tuple(got.shape)}{hint}"
            )
        if not torch.isfinite(got).all():
            fail(
                f"({where}) в ответе {got.tolist()}: exp(−150) в float32 — ноль, и его "
                "логарифм — −inf. Считайте логарифм суммы экспонент через torch.logsumexp"
            )
        got64 = got.detach().double()
        if num_samples > 1:
            if torch.allclose(got64, log_weights.mean(dim=0), atol=1e-3):
                fail(
                    f"({where}) это среднее логарифмов весов — оценка ELBO. Нужен логарифм "
                    "среднего веса: ln (1/K)·Σ exp(ln wₖ)"
                )
            if torch.allclose(got64, expected.double() + math.log(num_samples), atol=1e-3):
                fail(
                    f"({where}) ответ больше ожидаемого ровно на ln K: это логарифм суммы, "
                    "а нужен логарифм среднего — вычтите ln K"
                )
            if torch.allclose(got64, log_weights.max(dim=0).values, atol=1e-3):
                fail(f"({where}) это наибольший вес, а нужен логарифм среднего всех весов")
        expect_tensor(got, expected, what="оценка ln p(x)", inputs=where, atol=1e-3, rtol=1e-5)
