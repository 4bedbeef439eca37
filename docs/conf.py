"""Настройки Sphinx для сайта курса «Изучаем PyTorch».

Собирать командой ``kurs site`` (см. README): она выполняет уроки в быстром режиме
и проверяет ссылки. Всё нестандартное — в модуле ``kurs.site``.
"""

import os

from kurs import site

# Уроки выполняются в быстром режиме и на CPU, даже если запустить sphinx-build вручную.
os.environ.update(site.LESSON_ENV)
os.environ.setdefault("KURS_OUT", str(site.BUILD / "kurs_output"))

project = "Изучаем PyTorch"
author = "авторы курса «Изучаем PyTorch»"
copyright = "авторы курса «Изучаем PyTorch», лицензия MIT"
language = "ru"

extensions = [
    "myst_parser",
    "sphinx.ext.mathjax",
    "sphinx_gallery.gen_gallery",
]

sphinx_gallery_conf = site.gallery_conf()

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "**/*.py.md5", "**/*.codeobj.json"]
suppress_warnings = ["config.cache"]  # sphinx_gallery_conf содержит функции
myst_heading_anchors = 3

# Формулы: MathJax из установленного пакета, копируется в _static сайта — без интернета.
mathjax_path = site.mathjax_file().name
mathjax3_config = {"options": {"enableMenu": False}}

html_theme = "pydata_sphinx_theme"
html_title = project
html_static_path = ["_static", str(site.mathjax_file())]
html_css_files = ["kurs.css"]
html_search_scorer = str(site.search_scorer())  # с картой терминов глоссария
# Выдержки из страниц в результатах поиска браузер грузит через fetch(), а с диска (file://)
# это запрещено: без них поиск работает и там, где сайт открыт как папка.
html_show_search_summary = False
locale_dirs = ["locale"]  # русские строки темы, которых нет в её переводе
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_sidebars = {"index": [], "glossary": []}
html_context = {"default_mode": "auto"}  # светлое или тёмное — как в системе читателя
html_theme_options = {
    "navbar_align": "left",
    "navbar_end": ["theme-switcher"],
    "navbar_persistent": ["search-button"],
    "footer_start": [],
    "footer_center": [],
    "footer_end": [],
    "secondary_sidebar_items": ["page-toc"],
    "show_toc_level": 1,
    "header_links_before_dropdown": 5,
    "search_bar_text": "Поиск по курсу…",
    "navigation_with_keys": False,
}


def setup(app):
    site.setup(app)
