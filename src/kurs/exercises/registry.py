"""Все упражнения курса: их описания лежат в модулях kurs.exercises.checks.lesson_*."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from functools import cache

from kurs.errors import KursError
from kurs.exercises import checks
from kurs.exercises.spec import EXERCISES_DIR, Exercise

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _sort_key(exercise_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in exercise_id.split("."))


@cache
def all_exercises() -> tuple[Exercise, ...]:
    found: list[Exercise] = []
    for info in pkgutil.iter_modules(checks.__path__):
        if info.name.startswith("lesson_"):
            module = importlib.import_module(f"{checks.__name__}.{info.name}")
            found.extend(module.EXERCISES)
    return tuple(sorted(found, key=lambda ex: _sort_key(ex.id)))


@cache
def hints() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((EXERCISES_DIR / "hints").glob("*.toml")):
        with open(path, "rb") as fh:
            found.update({key: value["hints"] for key, value in tomllib.load(fh).items()})
    return found


def lessons_with_exercises() -> list[str]:
    return sorted({ex.lesson for ex in all_exercises()}, key=_sort_key)


def select(key: str) -> list[Exercise]:
    """«all», урок («1.3») или одно упражнение («1.3.2»)."""
    wanted = key.strip()
    exercises = all_exercises()
    if wanted == "all":
        return list(exercises)
    chosen = [ex for ex in exercises if ex.id == wanted or ex.lesson == wanted]
    if chosen:
        return chosen
    lessons = ", ".join(lessons_with_exercises())
    raise KursError(
        f"Упражнение или урок «{key}» не найдены. Упражнения есть у уроков {lessons}; "
        "номер упражнения выглядит так: 1.3.2. Список — kurs exercises."
    )


def find(exercise_id: str) -> Exercise:
    chosen = select(exercise_id)
    if len(chosen) != 1 or chosen[0].id != exercise_id.strip():
        raise KursError(f"Укажите одно упражнение, например {chosen[0].id}, а не «{exercise_id}».")
    return chosen[0]
