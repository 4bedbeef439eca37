"""Бенчмарк уроков: каждый урок в полном (не быстром) режиме несколько раз.

Запуск: .venv/bin/python bench/lessons.py [--repeat 3] [--device cpu] [--only 1.6 1.7]
Печатает таблицу: урок, медиана времени, разброс, метрика урока, цель.
Два времени: «kurs run» — полная стена команды `kurs run N` в новом процессе (запуск
Python, импорт torch и всё остальное, как у ученика); «урок» — работа самого урока
в уже прогретом интерпретаторе. Это замер, а не тест: на шумной машине числа гуляют.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time


def _wall_of_kurs_run(number: str, args: argparse.Namespace, out_root: str) -> float:
    command = [
        sys.executable,
        "-m",
        "kurs",
        "run",
        number,
        "--device",
        args.device,
        "--out",
        out_root,
    ]
    if args.quick:
        command.append("--quick")
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--only", nargs="*", default=None, help="номера уроков")
    parser.add_argument("--quick", action="store_true", help="быстрый режим вместо полного")
    args = parser.parse_args()

    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("TQDM_DISABLE", "1")
    start = time.perf_counter()
    import torch

    import_seconds = time.perf_counter() - start
    from kurs.catalog import LESSONS
    from kurs.runner import run_lesson

    lessons = [lesson for lesson in LESSONS if not args.only or lesson.number in args.only]
    print(
        f"torch {torch.__version__}, устройство {args.device}, потоков {torch.get_num_threads()}, "
        f"импорт torch {import_seconds:.1f} с, повторов {args.repeat}",
        flush=True,
    )
    rows, failed = [], False
    with tempfile.TemporaryDirectory() as out_root:
        for lesson in lessons:
            times, walls, metric = [], [], None
            for _ in range(args.repeat):
                walls.append(_wall_of_kurs_run(lesson.number, args, out_root))
            for _ in range(args.repeat):
                with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
                    run = run_lesson(
                        lesson, quick=args.quick, device=args.device, out_root=out_root
                    )
                times.append(run.seconds)
                metric = run.metric
            ok = metric is None or lesson.meets_target(metric)
            failed |= not ok
            rows.append(
                (
                    lesson,
                    statistics.median(walls),
                    statistics.median(times),
                    min(times),
                    max(times),
                    metric,
                    ok,
                )
            )
            print(f"  {lesson.number} готово", file=sys.stderr, flush=True)

    print(
        "\n| урок | kurs run, медиана, с | урок, медиана, с | урок, мин–макс, с | метрика | значение | цель | |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for lesson, wall, median, low, high, metric, ok in rows:
        sign = "≥" if lesson.higher_is_better else "≤"
        value = "—" if metric is None else f"{metric:.4f}"
        target = "—" if lesson.target is None else f"{sign} {lesson.target:g}"
        print(
            f"| {lesson.number} {lesson.slug} | {wall:.1f} | {median:.2f} | {low:.2f}–{high:.2f} | "
            f"{lesson.metric or '—'} | {value} | {target} | {'✓' if ok else '✗'} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
