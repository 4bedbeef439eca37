"""Уроки и упражнения едут внутри пакета: kurs работает и из установленного колеса."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kurs.catalog import LESSONS
from kurs.exercises.registry import all_exercises
from kurs.exercises.spec import EXERCISES_DIR

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            str(ROOT),
            "-w",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_carries_every_lesson(wheel_names):
    for lesson in LESSONS:
        assert f"kurs/lessons/{lesson.file}" in wheel_names, lesson.file


def test_wheel_carries_every_exercise_file_and_hints(wheel_names):
    for exercise in all_exercises():
        for path in (exercise.stub_path, exercise.solution_path):
            assert f"kurs/exercises/{path.relative_to(EXERCISES_DIR).as_posix()}" in wheel_names
    hints = {f"kurs/exercises/info/{p.name}" for p in (EXERCISES_DIR / "info").glob("*.toml")}
    assert hints and hints <= wheel_names


def test_catalog_and_lesson_folder_agree():
    on_disk = {
        p.relative_to(ROOT / "lessons").as_posix() for p in (ROOT / "lessons").rglob("[0-9]*.py")
    }
    assert on_disk == {lesson.file for lesson in LESSONS}
