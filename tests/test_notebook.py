"""kurs notebook: блокнот из урока — тот же код по ячейкам и текст в markdown.

Блокнот делает sphinx-gallery (то же преобразование, что у сайта курса); что блокнот
из ``kurs notebook`` байт в байт совпадает с блокнотом сайта, проверяет tests/test_site.py.
"""

import ast
import json
import os

import nbformat
import pytest

from kurs.catalog import LESSONS, find_lesson
from kurs.cli import main
from kurs.notebook import lesson_notebook


def _cells(notebook: dict) -> list[tuple[str, str]]:
    return [(cell["cell_type"], "".join(cell["source"])) for cell in notebook["cells"]]


def test_rst_pieces_become_markdown(tmp_path):
    lesson = tmp_path / "01_primer.py"
    lesson.write_text(
        '"""\nЗаголовок\n=========\n\nФормула :math:`a = 1` и ``код``.\n"""\n\n'
        "# %%\n# Раздел\n# ------\n# Текст раздела.\n#\n# .. math::\n#\n#    x^2\n\nx = 1\n",
        encoding="utf-8",
    )
    cells = _cells(lesson_notebook(lesson))
    assert [kind for kind, _ in cells] == ["markdown", "markdown", "code"]
    assert "# Заголовок" in cells[0][1] and "$a = 1$" in cells[0][1]
    assert "``код``" in cells[0][1]  # двойные обратные кавычки — тоже код в markdown
    assert cells[1][1].startswith("## Раздел") and "\\begin{align}x^2\\end{align}" in cells[1][1]
    assert cells[2] == ("code", "x = 1")


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.number for lesson in LESSONS])
def test_every_lesson_converts_and_code_is_preserved(lesson):
    notebook = lesson_notebook(lesson.path)
    nbformat.validate(nbformat.reads(json.dumps(notebook), as_version=4))
    cells = _cells(notebook)
    assert cells[0][0] == "markdown"
    assert cells[0][1].lstrip().startswith(f"# {lesson.title.split(':')[0]}")
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
    for kind, text in _cells(lesson_notebook(find_lesson("1.6").path)):
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
