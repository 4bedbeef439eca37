"""Бенчмарк к уроку 1.1: умножение матриц в разных типах данных на CPU и на видеокарте.

Запуск: .venv/bin/python bench/dtypes.py [--size 1024] [--repeat 5] [--device auto|cpu|cuda|mps]

Печатает таблицу: медиана времени одного умножения n×n @ n×n для float32, float16,
bfloat16 и float64 и во сколько раз это дольше, чем float32. ``auto`` измеряет CPU и,
если есть, ускоритель (``torch.accelerator``). В тестах не участвует: скорость зависит
от машины и её загрузки.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

DTYPES = (torch.float32, torch.float16, torch.bfloat16, torch.float64)


def _synchronize(device: torch.device) -> None:
    if device.type != "cpu":
        torch.accelerator.synchronize()


def time_matmul(size: int, dtype: torch.dtype, device: torch.device, repeat: int) -> float:
    """Медиана времени одного умножения (секунды); первый прогон — разогрев, не считается."""
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(size, size, generator=generator).to(device=device, dtype=dtype)
    b = torch.randn(size, size, generator=generator).to(device=device, dtype=dtype)
    a @ b
    _synchronize(device)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        a @ b
        _synchronize(device)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda", "mps"))
    args = parser.parse_args(argv)

    if args.device == "auto":
        devices = [torch.device("cpu")]
        if torch.accelerator.is_available():
            devices.append(torch.accelerator.current_accelerator())
    else:
        devices = [torch.device(args.device)]
    print(
        f"torch {torch.__version__}, потоков CPU {torch.get_num_threads()}, "
        f"матрицы {args.size}×{args.size}, повторов {args.repeat}"
    )
    print("\n| устройство | тип | медиана, мс | во сколько раз дольше float32 |")
    print("|---|---|---|---|")
    for device in devices:
        base = None
        for dtype in DTYPES:
            try:
                seconds = time_matmul(args.size, dtype, device, args.repeat)
            except (RuntimeError, TypeError) as error:  # например, float64 на mps
                print(f"| {device.type} | {dtype} | нет: {str(error).splitlines()[0]} | — |")
                continue
            base = seconds if dtype == torch.float32 else base
            ratio = f"{seconds / base:.1f}" if base else "—"
            print(f"| {device.type} | {dtype} | {seconds * 1000:.2f} | {ratio} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
