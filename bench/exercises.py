"""Бенчмарк проверки упражнений: сколько занимает проверка одного эталонного решения.

Запуск: .venv/bin/python bench/exercises.py [--repeat 5]
torch импортируется один раз заранее (как делает kurs check), дальше каждое
упражнение проверяется в отдельном процессе с лимитами — ровно как у ученика.
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    from kurs.exercises.registry import all_exercises
    from kurs.exercises.sandbox import check, warm_up

    warm_up()  # импорт torch и torch._dynamo — так же делает kurs check перед первой проверкой
    print(f"импорт torch (не входит в замер): {time.perf_counter() - start:.1f} с")

    print("\n| упражнение | медиана, с | макс, с | вердикт |")
    print("|---|---|---|---|")
    medians = []
    for exercise in all_exercises():
        times, verdict = [], None
        for _ in range(args.repeat):
            begin = time.perf_counter()
            verdict = check(exercise, exercise.solution_path)
            times.append(time.perf_counter() - begin)
        medians.append(statistics.median(times))
        print(
            f"| {exercise.id} {exercise.title} | {medians[-1]:.3f} | {max(times):.3f} | "
            f"{'✓' if verdict.passed else '✗ ' + verdict.kind} |",
            flush=True,
        )
    print(
        f"\nмедиана по всем: {statistics.median(medians):.3f} с, худшая медиана: {max(medians):.3f} с"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
