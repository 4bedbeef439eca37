"""Каждая нетронутая заготовка не проходит проверку, каждое эталонное решение проходит.

Так рустлингс доказывает, что упражнения честные: проверка отличает решение от заготовки.
"""

import ast

import pytest

from kurs.exercises import registry
from kurs.exercises.sandbox import NOT_DONE, PASSED, check

EXERCISES = registry.all_exercises()
IDS = [ex.id for ex in EXERCISES]


def test_every_lesson_has_at_least_three_exercises():
    from kurs.catalog import LESSONS

    for lesson in LESSONS:
        count = sum(1 for ex in EXERCISES if ex.lesson == lesson.number)
        assert count >= 3, f"у урока {lesson.number} только {count} упражнений"


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_untouched_stub_fails(exercise):
    verdict = check(exercise, exercise.stub_path)
    assert verdict.kind == NOT_DONE, verdict


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_reference_solution_passes(exercise):
    verdict = check(exercise, exercise.solution_path)
    assert verdict.kind == PASSED, verdict


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_stub_states_the_task_and_matches_solution_signature(exercise):
    stub = ast.parse(exercise.stub_path.read_text(encoding="utf-8"))
    solution = ast.parse(exercise.solution_path.read_text(encoding="utf-8"))
    docstring = ast.get_docstring(stub) or ""
    assert exercise.id in docstring and f"kurs check {exercise.id}" in docstring
    # Заголовок заготовки и строка в kurs exercises называют упражнение одинаково.
    assert exercise.title in docstring.splitlines()[0]
    assert any(ch in docstring for ch in "абвгдежзиклмнопрстуфхцчшщыэюя"), "условие — по-русски"

    def signature(tree):
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == exercise.name:
                return ast.dump(node.args) if isinstance(node, ast.FunctionDef) else node.name
        raise AssertionError(f"нет {exercise.name}")

    assert signature(stub) == signature(solution)


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_hints_exist_in_several_levels(exercise):
    assert len(registry.hints().get(exercise.id, [])) >= 2


def test_ids_unique_and_files_distinct():
    assert len(set(IDS)) == len(IDS)
    assert len({ex.stub_path for ex in EXERCISES}) == len(EXERCISES)
