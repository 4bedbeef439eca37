"""Проверки упражнений урока 3.4 «GAN: генератор против дискриминатора»."""

import copy
import math

import torch
import torch.nn.functional as F
from torch import nn

from kurs.exercises.spec import call, expect_close, expect_tensor, fail

LATENT, IMAGE = 4, 6  # маленькие сети: «картинка» — вектор из 6 чисел


def _models(seed: int) -> tuple[nn.Module, nn.Module]:
    """Генератор и дискриминатор с весами из своего генератора случайных чисел."""
    gen = torch.Generator().manual_seed(seed)
    generator = nn.Sequential(nn.Linear(LATENT, 8), nn.Tanh(), nn.Linear(8, IMAGE))
    discriminator = nn.Sequential(nn.Linear(IMAGE, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
    with torch.no_grad():
        for parameter in [*generator.parameters(), *discriminator.parameters()]:
            parameter.copy_(torch.randn(parameter.shape, generator=gen) * 0.6)
    return generator, discriminator


def _bce(logits, target: float):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))


def _d_loss(discriminator, real, fake):
    return _bce(discriminator(real), 1.0) + _bce(discriminator(fake.detach()), 0.0)


# %% 3.4.1 Потери дискриминатора


def check_discriminator_loss(discriminator_loss):
    for seed, batch in ((0, 5), (1, 8), (2, 1)):
        generator, discriminator = _models(seed)
        gen = torch.Generator().manual_seed(100 + seed)
        real = torch.randn(batch, IMAGE, generator=gen) * 0.5 + 1.0
        fake = generator(torch.randn(batch, LATENT, generator=gen))
        where = f"батч {batch}, fake прямо из генератора"
        expected = _d_loss(discriminator, real, fake)
        got = call(discriminator_loss, discriminator, real, fake)
        if fake.grad_fn is None:
            fail(
                f"({where}) вход fake оторван от генератора: detach_() с подчёркиванием меняет "
                "сам тензор, и шагу генератора потом не дойдёт градиент. Нужен fake.detach() — "
                "он возвращает новый тензор, не трогая fake"
            )
        if not isinstance(got, torch.Tensor):
            fail(f"({where}) ожидался torch.Tensor с потерями, получен {type(got).__name__}")
        if got.numel() != 1:
            fail(
                f"({where}) ожидалось одно число, получен тензор формы {tuple(got.shape)}: "
                "усредните потери по батчу"
            )
        value = got.item()
        wrong_values = [
            (
                _bce(discriminator(real), 0.0) + _bce(discriminator(fake), 1.0),
                "метки перепутаны: настоящим — 1, подделкам — 0",
            ),
            (_bce(discriminator(real), 1.0), "учтены только настоящие картинки, нужны и подделки"),
            (_bce(discriminator(fake), 0.0), "учтены только подделки, нужны и настоящие картинки"),
            (expected / 2, "это среднее двух потерь, а нужна их сумма"),
            (
                _bce(torch.sigmoid(discriminator(real)), 1.0)
                + _bce(torch.sigmoid(discriminator(fake)), 0.0),
                "сигмоида применена дважды: BCEWithLogitsLoss берёт логиты, а не вероятности",
            ),
        ]
        for wrong, message in wrong_values:
            if not math.isclose(wrong.item(), expected.item(), rel_tol=1e-4) and math.isclose(
                value, wrong.item(), rel_tol=1e-5, abs_tol=1e-6
            ):
                fail(
                    f"({where}) ваш результат {value:.6g}, ожидалось {expected.item():.6g}: {message}"
                )
        expect_close(got, expected.item(), what=f"потери дискриминатора ({where})", tol=1e-5)
        if got.grad_fn is None:
            fail(
                f"({where}) потери оторваны от графа вычислений: дискриминатор не сможет учиться "
                "(уберите .detach(), .item() и torch.no_grad())"
            )
        generator.zero_grad(set_to_none=True)
        discriminator.zero_grad(set_to_none=True)
        got.backward()
        if any(parameter.grad is not None for parameter in generator.parameters()):
            fail(
                f"({where}) после backward() потерь дискриминатора у параметров генератора "
                "появились градиенты: подайте дискриминатору fake.detach()"
            )
        reference = copy.deepcopy(discriminator)
        reference.zero_grad(set_to_none=True)
        _d_loss(reference, real, fake).backward()
        for (name, mine), theirs in zip(
            discriminator.named_parameters(), reference.parameters(), strict=True
        ):
            if mine.grad is None:
                fail(f"({where}) у параметра дискриминатора {name} нет градиента")
            expect_tensor(mine.grad, theirs.grad, what=f"градиент по {name}", inputs=where)


# %% 3.4.2 Один шаг GAN


def _reference_step(generator, discriminator, g_opt, d_opt, real, z, variant="right"):
    fake = generator(z)
    if variant == "g_first":
        g_loss = _bce(discriminator(fake), 1.0)
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        fake = generator(z)
    d_loss = _d_loss(discriminator, real, fake)
    if variant == "no_detach":
        d_loss = _bce(discriminator(real), 1.0) + _bce(discriminator(fake), 0.0)
    d_opt.zero_grad()
    d_loss.backward(retain_graph=variant == "no_detach")
    d_opt.step()
    if variant == "g_first":
        return d_loss.item(), g_loss.item()
    if variant == "saturating":
        g_loss = -_bce(discriminator(fake), 0.0)
    else:
        g_loss = _bce(discriminator(fake), 1.0)
    if variant != "no_detach":
        g_opt.zero_grad()
    g_loss.backward()
    g_opt.step()
    return d_loss.item(), g_loss.item()


def _run_reference(seed, batches, variant):
    generator, discriminator = _models(seed)
    g_opt = torch.optim.SGD(generator.parameters(), lr=0.1)
    d_opt = torch.optim.SGD(discriminator.parameters(), lr=0.1)
    losses = [
        _reference_step(generator, discriminator, g_opt, d_opt, real, z, variant)
        for real, z in batches
    ]
    return generator, discriminator, losses


def _same(model_a, model_b) -> bool:
    return all(
        torch.allclose(a, b, atol=1e-6)
        for a, b in zip(model_a.parameters(), model_b.parameters(), strict=True)
    )


def check_gan_step(gan_step):
    seed, steps, batch = 3, 3, 6
    gen = torch.Generator().manual_seed(200)
    batches = [
        (torch.randn(batch, IMAGE, generator=gen) + 1.0, torch.randn(batch, LATENT, generator=gen))
        for _ in range(steps)
    ]
    generator, discriminator = _models(seed)
    g_opt = torch.optim.SGD(generator.parameters(), lr=0.1)
    d_opt = torch.optim.SGD(discriminator.parameters(), lr=0.1)
    ref_generator, ref_discriminator = _models(seed)
    ref_g_opt = torch.optim.SGD(ref_generator.parameters(), lr=0.1)
    ref_d_opt = torch.optim.SGD(ref_discriminator.parameters(), lr=0.1)

    # Сколько раз за шаг считается градиент по параметрам генератора: с detach — один раз.
    passes = []
    hook = next(generator.parameters()).register_hook(lambda grad: passes.append(1))
    try:
        for number, (real, z) in enumerate(batches, start=1):
            where = f"шаг {number} из {steps}, SGD lr = 0.1, батч {batch}"
            passes.clear()
            got = call(gan_step, generator, discriminator, g_opt, d_opt, real, z)
            expected = _reference_step(
                ref_generator, ref_discriminator, ref_g_opt, ref_d_opt, real, z
            )
            if not isinstance(got, tuple) or len(got) != 2:
                fail(f"({where}) верните пару (потери D, потери G), получено {type(got).__name__}")
            d_ok = _same(discriminator, ref_discriminator)
            g_ok = _same(generator, ref_generator)
            if len(passes) > 1:
                fail(
                    f"({where}) градиент по параметрам генератора за шаг посчитан "
                    f"{len(passes)} раза: потери дискриминатора тоже прошли через генератор. "
                    "На шаге дискриминатора подайте ему fake.detach()"
                )
            if len(passes) == 0:
                fail(
                    f"({where}) градиент не дошёл до генератора: на шаге G подделки нельзя "
                    "отрезать detach — градиент идёт через дискриминатор в генератор"
                )
            if not d_ok or not g_ok:
                _diagnose_step(seed, batches[:number], where, generator, discriminator, d_ok)
            expect_close(got[0], expected[0], what=f"потери дискриминатора ({where})", tol=1e-5)
            expect_close(got[1], expected[1], what=f"потери генератора ({where})", tol=1e-5)
            if any(isinstance(loss, torch.Tensor) for loss in got):
                fail(
                    f"({where}) значения верны, но верните числа: d_loss.item(), g_loss.item(). "
                    "Тензор потерь держит в памяти весь граф шага, и в цикле обучения память "
                    "будет расти"
                )
    finally:
        hook.remove()


def _diagnose_step(seed, batches, where, generator, discriminator, d_ok):
    for variant, message in (
        (
            "g_first",
            "шаг генератора сделан раньше шага дискриминатора; в уроке сначала учится D, "
            "а G — уже против обновлённого D",
        ),
        (
            "saturating",
            "генератор учится насыщающейся формой ln(1 − D(G(z))); нужна ненасыщающаяся: "
            "BCE(D(fake), 1)",
        ),
        (
            "no_detach",
            "градиент потерь дискриминатора попал в генератор и сложился с его собственным: "
            "нужен fake.detach() на шаге D (и g_optimizer.zero_grad() перед backward G)",
        ),
    ):
        ref_generator, ref_discriminator, _ = _run_reference(seed, batches, variant)
        if _same(generator, ref_generator) and _same(discriminator, ref_discriminator):
            fail(f"({where}) {message}")
    if not d_ok:
        fail(
            f"({where}) параметры дискриминатора после шага не совпадают с эталоном: проверьте "
            "потери D (настоящие → 1, подделки → 0, сумма двух средних) и d_optimizer.zero_grad() "
            "перед backward — на шаге генератора в .grad дискриминатора тоже что-то оседает"
        )
    fail(
        f"({where}) параметры генератора после шага не совпадают с эталоном: проверьте потери G "
        "(BCE(D(fake), 1) с уже обновлённым D) и g_optimizer.zero_grad() перед backward"
    )


# %% 3.4.3 Оценка картинок классификатором


def _judge_reference(logits, threshold, min_count):
    top, label = torch.softmax(logits.double(), dim=1).max(dim=1)
    confident = top >= threshold
    counts = torch.bincount(label[confident], minlength=logits.shape[1])
    shares = torch.bincount(label, minlength=logits.shape[1]).double() / len(label)
    nonzero = shares[shares > 0]
    entropy = -(nonzero * nonzero.log()).sum().item()
    return confident.double().mean().item(), int((counts >= min_count).sum()), math.exp(entropy)


def _judge_cases():
    gen = torch.Generator().manual_seed(7)
    # 300 «картинок»: у части один класс резко выделяется, у части — нет.
    labels = torch.randint(0, 10, (300,), generator=gen)
    labels[labels == 9] = 3  # класс 9 не встречается, класс 3 — вдвое чаще
    sharpness = torch.rand(300, generator=gen) * 8
    logits = torch.randn(300, 10, generator=gen)
    logits[torch.arange(300), labels] += sharpness
    few = logits.clone()
    few[:, 5] -= 20  # класс 5 почти не выигрывает
    few[:4, 5] += 40  # кроме четырёх картинок
    same = torch.zeros(50, 4)
    same[:, 2] = 6.0  # все 50 — уверенно класс 2
    flat = torch.randn(40, 10, generator=gen) * 0.1  # никто не уверен
    return [
        (logits, 0.9, 5, "300 картинок, 10 классов, threshold=0.9, min_count=5"),
        (logits, 0.6, 20, "те же логиты, threshold=0.6, min_count=20"),
        (few, 0.9, 5, "класс 5 уверенно у четырёх картинок, min_count=5"),
        (same, 0.9, 5, "все 50 картинок — уверенно класс 2 из 4"),
        (flat, 0.9, 5, "логиты почти равны: уверенных нет"),
    ]


def check_judge_samples(judge_samples):
    for logits, threshold, min_count, where in _judge_cases():
        share, classes, effective = _judge_reference(logits, threshold, min_count)
        got = call(judge_samples, logits, threshold, min_count)
        if not isinstance(got, tuple) or len(got) != 3:
            fail(f"({where}) верните кортеж из трёх чисел, получено {type(got).__name__}")
        got_share, got_classes, got_effective = got
        if isinstance(got_classes, torch.Tensor) and got_classes.numel() == 1:
            got_classes = got_classes.item()
        if isinstance(got_classes, bool) or not isinstance(got_classes, int):
            fail(f"({where}) число классов — int, получено {type(got_classes).__name__}")
        logit_share = (logits.max(dim=1).values >= threshold).double().mean().item()
        mine = _number(got_share)
        if (
            not math.isclose(logit_share, share)
            and mine is not None
            and math.isclose(mine, logit_share, rel_tol=1e-6)
        ):
            fail(
                f"({where}) доля уверенных {logit_share:.4g} — это порог на логитах; порог "
                "сравнивают с вероятностью класса: сначала softmax"
            )
        expect_close(got_share, share, what=f"доля уверенных ({where})", tol=1e-6)
        if got_classes != classes:
            _, label = torch.softmax(logits, dim=1).max(dim=1)
            every = int((torch.bincount(label, minlength=logits.shape[1]) >= min_count).sum())
            confident_any = _judge_reference(logits, threshold, 1)[1]
            if got_classes == every and every != classes:
                fail(
                    f"({where}) классов {got_classes}, ожидалось {classes}: считать нужно "
                    "только уверенные картинки"
                )
            if got_classes == confident_any and confident_any != classes:
                fail(
                    f"({where}) классов {got_classes}, ожидалось {classes}: класс считается, "
                    f"если уверенных картинок в нём не меньше min_count = {min_count}"
                )
            fail(f"({where}) классов: ваш результат {got_classes}, ожидалось {classes}")
        got_effective = _number(got_effective)
        entropy = math.log(effective)
        if got_effective is not None and not math.isclose(effective, 1.0):
            if math.isclose(got_effective, entropy, rel_tol=1e-5):
                fail(
                    f"({where}) {got_effective:.4g} — это энтропия H; эффективное число "
                    f"классов — exp(H) = {effective:.4g}"
                )
            confident_only = _confident_effective(logits, threshold)
            if not math.isclose(confident_only, effective, rel_tol=1e-4) and math.isclose(
                got_effective, confident_only, rel_tol=1e-5
            ):
                fail(
                    f"({where}) эффективное число классов {got_effective:.4g} посчитано по "
                    f"уверенным картинкам, а нужно по всем: ожидалось {effective:.4g}"
                )
        expect_close(got_effective, effective, what=f"эффективное число классов ({where})")


def _number(value):
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        return value.item()
    return value if isinstance(value, (int, float)) else None


def _confident_effective(logits, threshold):
    top, label = torch.softmax(logits.double(), dim=1).max(dim=1)
    label = label[top >= threshold]
    if len(label) == 0:
        return 1.0
    shares = torch.bincount(label, minlength=logits.shape[1]).double() / len(label)
    nonzero = shares[shares > 0]
    return math.exp(-(nonzero * nonzero.log()).sum().item())
