"""README — договор с учеником: оглавление полное, команда тестов совпадает с CI."""

import re
from pathlib import Path

from kurs.catalog import LESSONS
from kurs.exercises.registry import all_exercises

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_contents_links_every_lesson_and_its_exercises():
    for lesson in LESSONS:
        assert f"](lessons/{lesson.file})" in README, lesson.file
        ids = [ex.id for ex in all_exercises() if ex.lesson == lesson.number]
        row = next(line for line in README.splitlines() if f"](lessons/{lesson.file})" in line)
        assert f"{ids[0]}–{ids[-1]}" in row, f"в строке урока {lesson.number} ожидались {ids}"


def test_original_course_names_are_findable():
    assert "Основы PyTorch" in README and "Линейная регрессия" in README


def test_ci_runs_exactly_the_readme_test_command():
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    test_command = next(b.strip() for b in blocks if "pytest" in b and "venv" in b)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_quick_start_runs_the_course():
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    assert "kurs run all --quick" in blocks[0] and "pip install -e ." in blocks[0]
