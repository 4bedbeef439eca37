"""kurs notebook: блокнот из урока — тот же код по ячейкам и текст в markdown."""

import ast
import os

import nbformat
import pytest

from kurs.catalog import LESSONS, find_lesson
from kurs.cli import main
from kurs.notebook import lesson_cells, rst_to_markdown


def test_rst_pieces_become_markdown():
    text = "Заголовок\n---------\nФормула :math:`a = 1` и ``код``.\n\n.. math::\n\n   x^2\n"
    assert rst_to_markdown(text) == "## Заголовок\nФормула $a = 1$ и `код`.\n\n$$\nx^2\n$$"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.number for lesson in LESSONS])
def test_every_lesson_converts_and_code_is_preserved(lesson):
    cells = lesson_cells(lesson.path)
    assert cells[0][0] == "markdown" and cells[0][1].startswith(f"# {lesson.title.split(':')[0]}")
    code = "\n\n".join(text for kind, text in cells if kind == "code")
    # Код блокнота разбирается в те же операторы, что и файл урока (без docstring).
    original = ast.parse(lesson.path.read_text(encoding="utf-8")).body[1:]
    assert ast.dump(ast.Module(original, [])) == ast.dump(ast.parse(code))
    assert sum(kind == "markdown" for kind, _ in cells) >= 5


def test_notebook_cells_run_in_order(tmp_path, monkeypatch):
    """Выполняем ячейки кода подряд, как Jupyter, — урок 1.6 в быстром режиме."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(os.environ, "KURS_QUICK", "1")
    monkeypatch.setitem(os.environ, "KURS_OUT", str(tmp_path / "out"))
    namespace: dict = {}
    for kind, text in lesson_cells(find_lesson("1.6").path):
        if kind == "code":
            exec(compile(text, "<ячейка>", "exec"), namespace)
    assert namespace["max_param_error"] < 0.02


def test_cli_writes_notebooks_and_keeps_existing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["notebook", "1"]) == 0
    notebook_path = tmp_path / "kurs_notebooks" / "06_linear_regression.ipynb"
    notebook = nbformat.read(notebook_path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.cells[0].cell_type == "markdown"
    notebook_path.write_text("мои правки", encoding="utf-8")
    assert main(["notebook", "1.6"]) == 0
    assert "уже есть" in capsys.readouterr().out
    assert notebook_path.read_text(encoding="utf-8") == "мои правки"
    assert main(["notebook", "1.6", "--force"]) == 0
    assert nbformat.read(notebook_path, as_version=4).cells
