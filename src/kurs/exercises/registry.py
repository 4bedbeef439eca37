"""Все упражнения курса: описания и подсказки лежат в info/<урок>.toml.

Чтение TOML не требует torch, поэтому список упражнений, подсказки и эталоны
открываются мгновенно; модуль проверки (kurs.exercises.checks.lesson_*) импортируется
только тогда, когда решение действительно проверяют.
"""

from __future__ import annotations

import sys
from functools import cache

from kurs.errors import KursError
from kurs.exercises.spec import INFO_DIR, Exercise

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _sort_key(exercise_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in exercise_id.split("."))


@cache
def all_exercises() -> tuple[Exercise, ...]:
    found: list[Exercise] = []
    for path in INFO_DIR.glob("*.toml"):
        with open(path, "rb") as fh:
            table = tomllib.load(fh)
        for exercise_id, entry in table.items():
            found.append(
                Exercise(
                    id=exercise_id,
                    title=entry["title"],
                    file=entry["file"],
                    name=entry["name"],
                    checker=entry["check"],
                    forbidden=tuple(entry.get("forbidden", ())),
                    time_limit=float(entry.get("time_limit", 10.0)),
                    hints=tuple(entry.get("hints", ())),
                )
            )
    return tuple(sorted(found, key=lambda ex: _sort_key(ex.id)))


def hints() -> dict[str, list[str]]:
    return {ex.id: list(ex.hints) for ex in all_exercises()}


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
