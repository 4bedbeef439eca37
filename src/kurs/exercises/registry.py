"""Все упражнения курса: описания и подсказки лежат в info/<урок>.toml.

Чтение TOML не требует torch, поэтому список упражнений, подсказки и эталоны
открываются мгновенно; модуль проверки (kurs.exercises.checks.lesson_*) импортируется
только тогда, когда решение действительно проверяют.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

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
    """«all», урок («1.3» или «autograd») или одно упражнение («1.3.2»)."""
    from kurs.catalog import LESSONS, did_you_mean

    wanted = key.strip()
    exercises = all_exercises()
    if wanted == "all":
        return list(exercises)
    chosen = [ex for ex in exercises if ex.id == wanted or ex.lesson == wanted]
    if chosen:
        return chosen
    with_exercises = lessons_with_exercises()
    by_name = {lesson.slug: lesson for lesson in LESSONS}
    by_name.update({Path(lesson.file).stem: lesson for lesson in LESSONS})
    lesson = by_name.get(wanted.lower())
    if lesson is not None:
        if lesson.number in with_exercises:
            return [ex for ex in exercises if ex.lesson == lesson.number]
        raise KursError(f"У урока {lesson.number} ({lesson.slug}) пока нет упражнений.")
    lesson_number = wanted.rpartition(".")[0]
    if lesson_number in with_exercises:
        ids = [ex.id for ex in exercises if ex.lesson == lesson_number]
        raise KursError(
            f"Упражнения «{key}» нет: у урока {lesson_number} упражнения {ids[0]}–{ids[-1]}. "
            "Список — kurs exercises."
        )
    guess = (
        ""
        if wanted.replace(".", "").isdigit()
        else did_you_mean(wanted.lower(), set(with_exercises))
    )
    names = {lesson.number: lesson.slug for lesson in LESSONS}
    listed = ", ".join(f"{number} {names.get(number, '')}".strip() for number in with_exercises)
    raise KursError(
        f"Упражнение или урок «{key}» не найдены.{guess} Упражнения есть у уроков {listed}; "
        "номер упражнения выглядит так: 1.3.2. Список — kurs exercises."
    )


def find(exercise_id: str) -> Exercise:
    chosen = select(exercise_id)
    if len(chosen) != 1 or chosen[0].id != exercise_id.strip():
        raise KursError(f"Укажите одно упражнение, например {chosen[0].id}, а не «{exercise_id}».")
    return chosen[0]
