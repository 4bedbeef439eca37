"""Запуск урока так, как его запускает ученик: файл целиком, сверху вниз."""

from __future__ import annotations

import contextlib
import os
import runpy
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kurs.catalog import Lesson


@dataclass
class LessonRun:
    lesson: Lesson
    seconds: float
    out: Path
    namespace: dict[str, Any] = field(repr=False)

    @property
    def metric(self) -> float | None:
        if self.lesson.metric is None:
            return None
        return float(self.namespace[self.lesson.metric])


@contextlib.contextmanager
def _lesson_environment(env: dict[str, str], argv: list[str]) -> Iterator[None]:
    saved_env = {key: os.environ.get(key) for key in env}
    saved_argv = sys.argv
    os.environ.update(env)
    sys.argv = argv
    try:
        yield
    finally:
        sys.argv = saved_argv
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_lesson(
    lesson: Lesson,
    *,
    quick: bool = False,
    device: str = "auto",
    out_root: Path | str = "kurs_output",
    dataset: str | None = None,
    text: Path | str | None = None,
    data: Path | str | None = None,
) -> LessonRun:
    """Выполняет файл урока в этом процессе и возвращает его глобальные переменные.

    Рисунки и чекпойнты урока попадают в ``out_root/<slug>``.
    """
    out = Path(out_root) / lesson.slug
    env = {"KURS_QUICK": "1" if quick else "0", "KURS_DEVICE": device, "KURS_OUT": str(out)}
    # Необязательные параметры передаём, только если их задали: иначе урок берёт свои.
    for key, value in (("KURS_DATASET", dataset), ("KURS_TEXT", text), ("KURS_DATA", data)):
        if value is not None:
            env[key] = str(value)
    # Окна не открываем: рисунки сохраняются в PNG (если бэкенд ещё не выбран).
    os.environ.setdefault("MPLBACKEND", "Agg")
    start = time.perf_counter()
    with _lesson_environment(env, [str(lesson.path)]):
        try:
            namespace = runpy.run_path(str(lesson.path), run_name="__main__")
        finally:
            if "matplotlib.pyplot" in sys.modules:
                sys.modules["matplotlib.pyplot"].close("all")
    return LessonRun(lesson, time.perf_counter() - start, out, namespace)
