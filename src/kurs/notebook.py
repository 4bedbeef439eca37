"""Урок → блокнот Jupyter: текстовые блоки становятся markdown, код — ячейками кода.

Файл урока написан в формате sphinx-gallery: заголовок в docstring (reST), дальше
ячейки ``# %%``, в начале которых идёт текст в комментариях. Здесь этот reST
переводится в markdown настолько, насколько его используют уроки: заголовки,
``код``, :math:`формулы`, блоки ``.. math::``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELL_MARK = re.compile(r"^# %%")
UNDERLINE = {"=": "#", "-": "##", "~": "###"}


def rst_to_markdown(text: str) -> str:
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        mark = nxt[:1]
        if (
            line.strip()
            and mark in UNDERLINE
            and set(nxt.strip()) == {mark}
            and len(nxt.strip()) >= 3
        ):
            out.append(f"{UNDERLINE[mark]} {line.strip()}")
            i += 2
            continue
        if line.strip() == ".. math::":
            i += 1
            block = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                block.append(lines[i].strip())
                i += 1
            out.extend(["$$", "\n".join(b for b in block if b), "$$"])
            continue
        out.append(line)
        i += 1
    markdown = "\n".join(out).strip()
    markdown = re.sub(r":math:`([^`]+)`", r"$\1$", markdown)
    return re.sub(r"``([^`]+)``", r"`\1`", markdown)


def _comment_text(line: str) -> str:
    return line[2:] if line.startswith("# ") else line[1:]


def lesson_cells(path: Path) -> list[tuple[str, str]]:
    """Ячейки урока: пары («markdown» | «code», текст) в порядке файла."""
    source = path.read_text(encoding="utf-8")
    module = ast.parse(source)
    cells: list[tuple[str, str]] = []
    body_start = 0
    docstring = ast.get_docstring(module)
    if docstring:
        cells.append(("markdown", rst_to_markdown(docstring)))
        body_start = module.body[0].end_lineno
    lines = source.splitlines()[body_start:]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if CELL_MARK.match(line):
            blocks.append([])
        else:
            blocks[-1].append(line)
    for block in blocks:
        text_lines = []
        while block and block[0].startswith("#"):
            text_lines.append(_comment_text(block.pop(0)))
        if text_lines:
            cells.append(("markdown", rst_to_markdown("\n".join(text_lines))))
        code = "\n".join(block).strip()
        if code:
            cells.append(("code", code))
    return cells


def write_notebook(lesson_path: Path, target: Path) -> Path:
    cells = [
        new_markdown_cell(text) if kind == "markdown" else new_code_cell(text)
        for kind, text in lesson_cells(lesson_path)
    ]
    notebook = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(target))
    return target
