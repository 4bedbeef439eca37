"""Урок → блокнот Jupyter тем же преобразованием, каким сайт курса делает свои блокноты.

Файл урока написан в формате sphinx-gallery: заголовок в docstring (reST), дальше
ячейки ``# %%``, в начале которых идёт текст в комментариях. sphinx-gallery разбивает
файл на текст и код и переводит reST в markdown (заголовки, формулы, ссылки); здесь
вызываются те же его функции и с теми же настройками (``NOTEBOOK_CONF``), что при
сборке сайта, поэтому блокнот из ``kurs notebook`` совпадает со скачанным с сайта.
"""

from __future__ import annotations

import copy
from pathlib import Path

# Настройки блокнота: их берут и ``kurs notebook``, и сайт (docs/conf.py через kurs.site).
NOTEBOOK_CONF = {
    "first_notebook_cell": None,  # без «%matplotlib inline»: Jupyter рисует и так
    "last_notebook_cell": None,
    "promote_jupyter_magic": False,
    "notebook_images": False,
    "pypandoc": False,  # перевод reST → markdown силами самого sphinx-gallery
}


def lesson_notebook(lesson_path: Path) -> dict:
    """Блокнот (словарь в формате nbformat 4) из файла урока."""
    from sphinx_gallery.gen_gallery import DEFAULT_GALLERY_CONF
    from sphinx_gallery.notebook import jupyter_notebook
    from sphinx_gallery.py_source_parser import split_code_and_text_blocks

    gallery_conf = {**copy.deepcopy(DEFAULT_GALLERY_CONF), **NOTEBOOK_CONF}
    _, blocks = split_code_and_text_blocks(str(lesson_path))
    return jupyter_notebook(blocks, gallery_conf, Path(lesson_path).parent)


def write_notebook(lesson_path: Path, target: Path) -> Path:
    """Пишет блокнот урока в target (папка создаётся) и возвращает путь к нему."""
    from sphinx_gallery.notebook import save_notebook

    target.parent.mkdir(parents=True, exist_ok=True)
    save_notebook(lesson_notebook(lesson_path), target)
    return target
