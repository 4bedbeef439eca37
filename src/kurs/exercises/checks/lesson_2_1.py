"""Проверки упражнений урока 2.1 «Изображения и torchvision»."""

import math

import numpy as np
import torch
from PIL import Image

from kurs.exercises.spec import call, expect_tensor, fail


def _uint8_images(shape, seed: int) -> torch.Tensor:
    """Картинки uint8, у каждого канала своя средняя яркость: каналы нельзя смешать."""
    gen = torch.Generator().manual_seed(seed)
    n, channels, height, width = shape
    scale = torch.tensor([255, 160, 90][:channels], dtype=torch.float32).view(1, -1, 1, 1)
    values = torch.rand(shape, generator=gen) * scale
    return values.round().to(torch.uint8)


def check_channel_stats(channel_stats):
    cases = [((5, 3, 8, 10), 1), ((6, 1, 9, 9), 0), ((2, 3, 4, 4), 2), ((40, 1, 28, 28), 3)]
    for shape, seed in cases:
        images = _uint8_images(shape, seed)
        inputs = f"uint8, форма {tuple(shape)}"
        scaled = images.float() / 255
        expected_mean = scaled.mean(dim=(0, 2, 3))
        expected_std = scaled.std(dim=(0, 2, 3))
        result = call(channel_stats, images)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            fail(f"({inputs}) верните пару (mean, std), а получено {type(result).__name__}")
        mean, std = result
        for name, got, expected in (("mean", mean, expected_mean), ("std", std, expected_std)):
            if isinstance(got, torch.Tensor) and got.shape == expected.shape:
                if torch.allclose(got.double(), 255 * expected.double(), rtol=1e-3, atol=1e-3):
                    fail(
                        f"({inputs}) {name} в 255 раз больше ожидаемого: яркость нужно "
                        "перевести в [0, 1] (разделить на 255), как делает ToDtype(scale=True)"
                    )
            if isinstance(got, torch.Tensor) and got.numel() == 1 and shape[1] > 1:
                fail(
                    f"({inputs}) {name}: одно число на все каналы, а нужно по числу на канал — "
                    f"форма ({shape[1]},); усредняйте по батчу, высоте и ширине: dim=(0, 2, 3)"
                )
            if isinstance(got, torch.Tensor) and got.shape == (shape[0], shape[1]):
                fail(
                    f"({inputs}) {name}: форма {tuple(got.shape)} — это по числу на каждую "
                    "картинку и канал; статистика считается по всему набору: dim=(0, 2, 3)"
                )
            if name == "std" and isinstance(got, torch.Tensor) and got.shape == expected.shape:
                # «Стандартное отклонение» бывает несмещённым (делим на n − 1, как torch.std)
                # и смещённым (на n, как unbiased=False): принимаем оба.
                biased = scaled.std(dim=(0, 2, 3), unbiased=False)
                if got.dtype == biased.dtype and torch.allclose(got, biased, atol=1e-5, rtol=1e-4):
                    continue
            expect_tensor(got, expected, what=name, inputs=inputs)


def _pil_images():
    gen = np.random.default_rng(7)
    gray = Image.fromarray(gen.integers(0, 256, (12, 9), dtype=np.uint8), mode="L")
    rgb = Image.fromarray(gen.integers(0, 256, (6, 7, 3), dtype=np.uint8), mode="RGB")
    return [
        (gray, (0.25,), (0.5,), "чёрно-белая картинка PIL 9×12, mean=(0.25,), std=(0.5,)"),
        (
            rgb,
            (0.4, 0.5, 0.6),
            (0.2, 0.25, 0.3),
            "цветная картинка PIL 7×6, mean=(0.4, 0.5, 0.6), std=(0.2, 0.25, 0.3)",
        ),
    ]


def check_image_transform(image_transform):
    for image, mean, std, inputs in _pil_images():
        transform = call(image_transform, mean, std)
        if not callable(transform):
            fail(
                f"image_transform должна вернуть преобразование (вызываемый объект), а вернула {type(transform).__name__}"
            )
        pixels = torch.from_numpy(np.array(image)).float() / 255
        if pixels.ndim == 2:
            pixels = pixels.unsqueeze(-1)
        pixels = pixels.permute(2, 0, 1)  # (C, H, W)
        m = torch.tensor(mean).view(-1, 1, 1)
        s = torch.tensor(std).view(-1, 1, 1)
        expected = (pixels - m) / s
        got = transform(image)
        again = transform(image)
        if isinstance(got, torch.Tensor):
            got = got.as_subclass(torch.Tensor)  # tv_tensors.Image → обычный тензор
            if isinstance(again, torch.Tensor) and not torch.equal(
                again.as_subclass(torch.Tensor), got
            ):
                fail(
                    f"({inputs}) два вызова на одной картинке дали разный результат: в "
                    "преобразовании для тестовой части не место случайным аугментациям"
                )
            if got.shape == expected.shape[1:] + expected.shape[:1] and got.shape != expected.shape:
                fail(
                    f"({inputs}) форма {tuple(got.shape)} — каналы стоят последними (H, W, C); "
                    "PyTorch ждёт (C, H, W). v2.ToImage() сам переставит оси"
                )
            if got.shape == expected.shape and got.is_floating_point():
                unscaled = (pixels * 255 - m) / s
                if torch.allclose(got, unscaled, atol=1e-3):
                    fail(
                        f"({inputs}) яркость не переведена в [0, 1] перед Normalize: "
                        "нужен v2.ToDtype(torch.float32, scale=True)"
                    )
                if torch.allclose(got, pixels, atol=1e-5):
                    fail(f"({inputs}) Normalize не применён: вычтите mean и разделите на std")
        expect_tensor(got, expected, what="преобразованная картинка", inputs=inputs)


def _grid_reference(
    images: torch.Tensor, nrow: int, padding: int, by_columns: bool = False
) -> torch.Tensor:
    """То же, что torchvision.utils.make_grid с pad_value=0, по шагам.

    by_columns=True — типичная ошибка: картинки идут сверху вниз по столбцам.
    """
    if images.shape[1] == 1:
        images = images.repeat(1, 3, 1, 1)
    n, channels, height, width = images.shape
    columns = min(nrow, n)
    rows = math.ceil(n / columns)
    cell_h, cell_w = height + padding, width + padding
    grid = torch.zeros(
        channels, rows * cell_h + padding, columns * cell_w + padding, dtype=images.dtype
    )
    for k in range(n):
        row, column = divmod(k, columns)
        if by_columns:
            column, row = divmod(k, rows)
        top, left = row * cell_h + padding, column * cell_w + padding
        grid[:, top : top + height, left : left + width] = images[k]
    return grid


def check_make_grid(make_grid):
    cases = [
        ((16, 1, 5, 5), 4, 2, "16 чёрно-белых картинок 5×5, nrow=4, padding=2"),
        (
            (10, 3, 4, 6),
            4,
            1,
            "10 цветных картинок 4×6, nrow=4, padding=1 (последний ряд неполный)",
        ),
        ((3, 1, 3, 3), 8, 2, "3 картинки 3×3 при nrow=8 (меньше, чем помещается в ряд)"),
        ((6, 3, 2, 2), 3, 0, "6 цветных картинок 2×2, nrow=3, padding=0"),
    ]
    for number, (shape, nrow, padding, inputs) in enumerate(cases):
        gen = torch.Generator().manual_seed(number)
        images = torch.rand(shape, generator=gen) + 0.5  # все значения больше нуля, рамка — ноль
        expected = _grid_reference(images, nrow, padding)
        got = call(make_grid, images, nrow=nrow, padding=padding)
        if isinstance(got, torch.Tensor) and got.shape != expected.shape:
            if shape[1] == 1 and got.ndim == 3 and got.shape[0] == 1:
                fail(
                    f"({inputs}) у сетки один канал, а make_grid делает из чёрно-белых картинок "
                    "трёхканальную сетку (канал повторяется 3 раза)"
                )
            if got.ndim == 3 and got.shape[1:] == (
                expected.shape[1] - padding,
                expected.shape[2] - padding,
            ):
                fail(
                    f"({inputs}) форма {tuple(got.shape)}, ожидалась {tuple(expected.shape)}: "
                    "не хватает рамки справа и снизу — сетка кончается ещё одной полосой в padding пикселей"
                )
            columns = min(nrow, shape[0])
            full_width = nrow * (shape[3] + padding) + padding
            if columns < nrow and got.ndim == 3 and got.shape[2] == full_width:
                fail(
                    f"({inputs}) сетка шириной в {nrow} клеток, а картинок всего {shape[0]}: "
                    "когда картинок меньше nrow, столбцов столько, сколько картинок"
                )
        if isinstance(got, torch.Tensor) and got.shape == expected.shape:
            by_columns = _grid_reference(images, nrow, padding, by_columns=True)
            if not torch.equal(by_columns, expected) and torch.allclose(got, by_columns):
                fail(
                    f"({inputs}) картинки разложены по столбцам (сверху вниз), а make_grid "
                    "кладёт их по рядам: слева направо, потом следующий ряд"
                )
        expect_tensor(got, expected, what="сетка", inputs=inputs)
