"""kurs site: сайт курса из тех же файлов уроков (Sphinx + sphinx-gallery).

Исходники сайта — папка ``docs/`` (conf.py, главная страница, глоссарий); уроки
берутся прямо из ``lessons/``: каждая папка раздела — своя галерея sphinx-gallery.
Здесь собрано всё, что conf.py делает сверх стандартных настроек:

* к странице урока в конце добавляются его упражнения (условия из заготовок, команды
  ``kurs``; эталонных решений на сайте нет);
* на главной странице — оглавление по разделам из ``kurs.catalog``;
* строки, которые sphinx-gallery пишет по-английски, переводятся;
* после сборки проверяются ссылки между страницами и то, что сайт ничего не грузит
  из интернета (его можно открыть с диска).

Уроки выполняются в быстром режиме. sphinx-gallery помнит контрольную сумму каждого
урока и при повторной сборке не выполняет неизменённые уроки заново.
"""

from __future__ import annotations

import ast
import html.parser
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kurs.catalog import LESSONS, SECTIONS, Lesson
from kurs.errors import KursError
from kurs.notebook import NOTEBOOK_CONF

ROOT = Path(__file__).resolve().parents[2]  # корень клона: src/kurs/site.py → ../..
DOCS = ROOT / "docs"
LESSONS_ROOT = ROOT / "lessons"
SITE = ROOT / "site"  # готовый сайт (в .gitignore)
BUILD = DOCS / "_build"  # служебное: doctrees, файлы, которые пишут уроки (в .gitignore)
GALLERY = "uroki"  # docs/uroki/<раздел>/ — страницы уроков, которые пишет sphinx-gallery
HEADER_FILE = "GALLERY_HEADER.rst"  # заголовок и вступление раздела в папке lessons/<раздел>/

# Окружение, в котором сайт выполняет уроки: быстрый режим, без окон и индикаторов.
LESSON_ENV = {
    "KURS_QUICK": "1",
    "MPLBACKEND": "Agg",
    "TQDM_DISABLE": "1",
    "KURS_DEVICE": "cpu",
}

# Из каких пакетов Python сайт берёт то, что браузер загружает: всё лежит рядом с сайтом.
SITE_PACKAGES = ("sphinx", "sphinx_gallery", "pydata_sphinx_theme", "myst_parser", "mathjax")


def mathjax_file() -> Path:
    """MathJax 3 из пакета django-static-mathjax: формулы рисуются без интернета.

    Сборка «tex-svg-full» — один файл со всеми расширениями TeX и без шрифтов
    (SVG), поэтому браузеру не нужно ничего догружать.
    """
    import mathjax  # пакет django-static-mathjax

    return (
        Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5" / "tex-svg-full.js"
    )


# ---------------------------------------------------------------- галереи


def section_dirs() -> list[Path]:
    """Папки разделов в lessons/, где есть уроки (файлы «NN_имя.py»)."""
    return sorted(
        folder
        for folder in LESSONS_ROOT.iterdir()
        if folder.is_dir() and any(folder.glob("[0-9]*.py"))
    )


def missing_headers() -> str | None:
    """Сообщение о разделах без файла заголовка (без него sphinx-gallery раздел не покажет)."""
    missing = [
        folder / HEADER_FILE for folder in section_dirs() if not (folder / HEADER_FILE).is_file()
    ]
    if not missing:
        return None
    names = ", ".join(str(path.relative_to(ROOT)) for path in missing)
    return (
        f"У раздела нет заголовка для сайта: создайте {names} "
        "(название раздела, подчёркнутое «====», и пара фраз о нём)."
    )


def gallery_conf() -> dict:
    """Настройки sphinx-gallery для conf.py: каждая папка раздела — отдельная галерея."""
    problem = missing_headers()
    if problem:
        from sphinx.errors import ConfigError

        raise ConfigError(problem)
    sections = section_dirs()
    return {
        "examples_dirs": [os.path.relpath(folder, DOCS) for folder in sections],
        "gallery_dirs": [f"{GALLERY}/{folder.name}" for folder in sections],
        "filename_pattern": r"[\\/]\d+_[^\\/]*\.py$",  # выполнять каждый урок
        "ignore_pattern": r"__init__\.py",
        "within_subsection_order": "FileNameSortKey",
        "download_all_examples": False,
        "show_signature": False,
        "write_computation_times": False,
        "abort_on_example_error": False,
        "only_warn_on_example_error": False,
        "capture_repr": (),  # печатает урок сам, print()
        "min_reported_time": 0,
        **NOTEBOOK_CONF,
    }


def docname_to_lesson(docname: str) -> Lesson | None:
    """«uroki/01_osnovy/03_autograd» → урок 1.3 из каталога."""
    prefix = f"{GALLERY}/"
    if not docname.startswith(prefix):
        return None
    file = docname[len(prefix) :] + ".py"
    return next((lesson for lesson in LESSONS if lesson.file == file), None)


def lesson_docname(lesson: Lesson) -> str:
    return f"{GALLERY}/{Path(lesson.file).with_suffix('').as_posix()}"


# ------------------------------------------------- перевод строк sphinx-gallery

_GALLERY_RU: tuple[tuple[str, str], ...] = (
    (
        r":ref:`Go to the end <([^>]+)>`\s+to download the full example code\.?",
        r":ref:`В конце страницы <\1>` — урок для скачивания: файл .py и блокнот Jupyter.",
    ),
    (r"Go to the end\s+to download the full example code\.?", "Скачать урок — в конце страницы."),
    (r"Download Jupyter notebook:", "Скачать блокнот Jupyter:"),
    (r"Download Python source code:", "Скачать урок (файл Python):"),
    (r"Download zipped:", "Скачать архив:"),
    (
        r"\*\*Total running time of the script:\*\* \((\d+) minutes ([\d.]+) seconds\)",
        lambda m: (
            "**Урок выполнялся в быстром режиме:** "
            + (f"{m[1]} мин " if m[1] != "0" else "")
            + f"{float(m[2]):.1f} с".replace(".", ",")
        ),
    ),
    (r"\*\*Estimated memory usage:\*\*", "**Памяти понадобилось:**"),
    (r"Gallery generated by Sphinx-Gallery", "Страница собрана с помощью Sphinx-Gallery"),
)


_ZIP_BLOCK = re.compile(
    r"\n *\.\. container:: sphx-glr-download sphx-glr-download-zip\n\n *:download:`[^`]*`\n"
)


_INLINE_CODE = re.compile(r"(``.+?``|`[^`]*`)")


def _escape_bars(text: str) -> str:
    """«|x|» в тексте урока — модуль числа, а не подстановка reST: экранируем черту.

    Не трогаем код (блоки директив ``.. code-block::`` и т. п., ``код`` в строке)
    и строки таблиц reST.
    """
    out = []
    in_directive = False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and not line[0].isspace():
            in_directive = stripped.startswith("..")
        table = stripped.startswith("+") or (stripped.startswith("|") and stripped.endswith("|"))
        if "|" in line and not in_directive and not table:
            parts = _INLINE_CODE.split(line)
            line = "".join(
                part if index % 2 else part.replace("|", "\\|") for index, part in enumerate(parts)
            )
        out.append(line)
    return "".join(out)


def translate_gallery(text: str) -> str:
    """Переводит английские строки, которые sphinx-gallery вставляет в страницу урока.

    Архив .zip с теми же двумя файлами убираем: урок и блокнот скачиваются и так.
    """
    text = _escape_bars(_ZIP_BLOCK.sub("\n", text))
    for pattern, replacement in _GALLERY_RU:
        text = re.sub(pattern, replacement, text)
    return text


# ------------------------------------------------------------ упражнения


def _escape_rst(text: str) -> str:
    """Обычный текст условия → строка reST, где ни один символ не станет разметкой."""
    return re.sub(r"([\\`*_|\[\]<>])", r"\\\1", text)


def statement_rst(text: str) -> str:
    """Условие из docstring заготовки (обычный текст) → reST.

    Абзацы остаются абзацами, строки «- …» и «1. …» начинают пункт списка (следующие строки
    без пустой — продолжение пункта), строки с отступом от 4 пробелов вне списка —
    моноширинный блок (там примеры и формулы).
    """
    blocks: list[tuple[str, list[str]]] = []  # («p» | «li» | «ol» | «pre», строки)
    for line in text.splitlines():
        kind = blocks[-1][0] if blocks else None
        numbered = re.match(r"\d+\. ", line)
        if not line.strip():
            if kind != "pre":
                blocks.append(("gap", []))
            else:
                blocks[-1][1].append("")
        elif line.startswith("- "):
            blocks.append(("li", [line[2:].strip()]))
        elif numbered:
            blocks.append(("ol", [line[numbered.end() :].strip()]))
        elif line.startswith("    ") and kind not in ("li", "ol"):
            if kind == "pre":
                blocks[-1][1].append(line)
            else:
                blocks.append(("pre", [line]))
        elif kind in ("p", "li", "ol"):
            blocks[-1][1].append(line.strip())
        else:
            blocks.append(("p", [line.strip()]))
    out: list[str] = []
    previous = None
    for kind, lines in blocks:
        if kind == "gap":
            previous = kind
            continue
        if kind in ("li", "ol"):
            if previous != kind and out:
                out.append("")
            marker = "* " if kind == "li" else "#. "
            out.append(marker + _escape_rst(lines[0]))
            out.extend(" " * len(marker) + _escape_rst(line) for line in lines[1:])
        elif kind == "pre":
            while lines and not lines[-1].strip():
                lines.pop()
            out.extend(["", ".. code-block:: text", "", *lines])
        else:
            out.extend(["", *(_escape_rst(line) for line in lines)])
        previous = kind
    return "\n".join(out).strip("\n") + "\n"


def plural(number: int, one: str, few: str, many: str) -> str:
    """«1 упражнение», «3 упражнения», «5 упражнений»."""
    if number % 10 == 1 and number % 100 != 11:
        word = one
    elif 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        word = few
    else:
        word = many
    return f"{number} {word}"


def _stub_parts(path: Path) -> tuple[str, str]:
    """Заготовка → (условие из docstring без первой и служебной строк, код без docstring)."""
    source = path.read_text(encoding="utf-8")
    module = ast.parse(source)
    docstring = ast.get_docstring(module) or ""
    lines = docstring.splitlines()[1:]  # первая строка — «Упражнение N. Название.»
    lines = [line for line in lines if not line.strip().startswith("Проверка:")]
    code = source
    if module.body and isinstance(module.body[0], ast.Expr) and docstring:
        code = "\n".join(source.splitlines()[module.body[0].end_lineno :])
    return "\n".join(lines).strip("\n"), code.strip("\n")


def _heading(text: str, mark: str) -> str:
    return f"{text}\n{mark * max(len(text), 4)}\n"


def exercises_rst(lesson: Lesson) -> str:
    """Раздел «Упражнения» в конце страницы урока; пустая строка, если упражнений нет."""
    from kurs.exercises.registry import all_exercises
    from kurs.exercises.workspace import DEFAULT_WORKSPACE

    exercises = [ex for ex in all_exercises() if ex.lesson == lesson.number]
    if not exercises:
        return ""
    first = exercises[0].id
    parts = [
        ".. _kurs-exercises-" + lesson.number.replace(".", "-") + ":",
        "",
        _heading("Упражнения", "-"),
        f"К уроку {plural(len(exercises), 'упражнение', 'упражнения', 'упражнений')}. "
        "Поставьте курс (см. «Быстрый старт» на главной странице), скопируйте заготовки "
        "в рабочую папку, напишите решение и проверьте его — проверка объяснит по-русски, "
        "что не так:",
        "",
        ".. code-block:: bash",
        "",
    ]
    commands = [
        (
            f"kurs exercises start {lesson.number}",
            f"заготовки — в {DEFAULT_WORKSPACE}/{lesson.number}/",
        ),
        (f"kurs check {lesson.number}", "проверить все упражнения урока"),
        (f"kurs check {first} --watch", "проверять при каждом сохранении файла"),
        (f"kurs hint {first}", "следующая подсказка"),
    ]
    width = max(len(command) for command, _ in commands) + 2
    parts += [f"   {command:<{width}}# {note}" for command, note in commands]
    parts.append("")
    for exercise in exercises:
        statement, code = _stub_parts(exercise.stub_path)
        parts += [
            _heading(f"Упражнение {exercise.id}. {exercise.title}", "~"),
            statement_rst(statement),
            f"Файл ``{DEFAULT_WORKSPACE}/{exercise.lesson}/{exercise.file}``, "
            f"напишите ``{exercise.name}``. Проверка: ``kurs check {exercise.id}``, "
            f"подсказка: ``kurs hint {exercise.id}``.",
            "",
            ".. code-block:: python",
            "",
            *(f"   {line}" if line else "" for line in code.splitlines()),
            "",
        ]
    return "\n".join(parts)


# ------------------------------------------------------------------ поиск

GLOSSARY = ROOT / "src" / "kurs" / "glossary.md"
SEARCH_SCORER = DOCS / "search_scorer.js"


def _stems(text: str) -> str:
    """Слова текста → их основы по Snowball (тот же алгоритм у поиска Sphinx в браузере)."""
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("russian")
    return " ".join(stemmer.stemWord(word) for word in re.findall(r"\w+", text.lower()))


def glossary_lessons(glossary: Path = GLOSSARY) -> dict[str, list[str]]:
    """Термин глоссария (основы слов) → страницы уроков, где он объяснён.

    Строка таблицы глоссария: «| термин | English | что это | 1.3 |» — номер урока
    в последнем столбце. По этой карте поиск ставит первым урок, который объясняет
    искомое слово («градиенты» → урок 1.3), а не тот, где слово встретилось в заголовке.
    """
    pages = {lesson.number: lesson_docname(lesson) for lesson in LESSONS}
    found: dict[str, list[str]] = {}
    for line in glossary.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|") or len(cells) < 2:
            continue
        docs = [pages[number] for number in re.findall(r"\d+\.\d+", cells[-1]) if number in pages]
        for term in re.split(r"[/,;]", cells[0]):
            key = _stems(re.sub(r"\(.*?\)|`[^`]*`", " ", term))
            if key and docs:
                found.setdefault(key, [])
                found[key] += [doc for doc in docs if doc not in found[key]]
    return found


def search_scorer() -> Path:
    """JS-оценщик результатов поиска (docs/search_scorer.js) с картой терминов глоссария."""
    import json

    target = BUILD / "search_scorer.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    terms = json.dumps(glossary_lessons(), ensure_ascii=False, sort_keys=True)
    text = f"var KURS_TERMS = {terms};\n" + SEARCH_SCORER.read_text(encoding="utf-8")
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


# ------------------------------------------------------------ главная страница


def contents_md() -> str:
    """Оглавление курса для главной страницы (Markdown MyST): разделы, уроки, упражнения."""
    from kurs.exercises.registry import all_exercises

    exercises = all_exercises()
    sections = section_dirs()
    lines: list[str] = []
    for folder in sections:
        lessons = [lesson for lesson in LESSONS if lesson.file.startswith(folder.name + "/")]
        number = lessons[0].section if lessons else ""
        name = SECTIONS.get(number, folder.name)
        lines += [f"### Раздел {number}. {name}", ""]
        for lesson in lessons:
            ids = [ex.id for ex in exercises if ex.lesson == lesson.number]
            extra = f" — упражнения {ids[0]}–{ids[-1]}" if len(ids) > 1 else ""
            if len(ids) == 1:
                extra = f" — упражнение {ids[0]}"
            lines.append(
                f"- {{doc}}`{lesson.number}. {lesson.title} <{lesson_docname(lesson)}>`{extra}"
            )
        lines.append("")
    lines += [
        "Термины курса собраны в {doc}`глоссарии <glossary>`.",
        "",
        "```{toctree}",
        ":hidden:",
        ":maxdepth: 2",
        "",
        *(f"{GALLERY}/{folder.name}/index" for folder in sections),
        "Глоссарий <glossary>",
        "```",
        "",
    ]
    return "\n".join(lines)


def hide_build_paths(text: str) -> str:
    """Пути машины, где собирали сайт, в выводе уроков → такие, как у читателя."""
    text = text.replace(str(BUILD / "kurs_output"), "kurs_output")
    return text.replace(str(Path.home()), "~")


CONTENTS_MARK = "<!-- kurs: оглавление -->"


def on_source_read(app, docname: str, source: list[str]) -> None:
    """Событие Sphinx «source-read»: дописывает страницы, которые собирает не человек."""
    if CONTENTS_MARK in source[0]:
        source[0] = source[0].replace(CONTENTS_MARK, contents_md())
    if docname.startswith(f"{GALLERY}/"):
        text = hide_build_paths(translate_gallery(source[0]))
        lesson = docname_to_lesson(docname)
        if lesson is not None:
            text = text.rstrip() + "\n\n" + exercises_rst(lesson)
        source[0] = text


def setup(app) -> None:
    """Подключает дополнения сайта; вызывается из docs/conf.py."""
    app.connect("source-read", on_source_read)


# ------------------------------------------------------ проверка готового сайта


class _PageParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []  # (тег, атрибут, адрес)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            if name in ("href", "src", "poster", "data"):
                self.links.append((tag, name, value))
            if name == "srcset":
                for item in value.split(","):
                    if item.strip():
                        self.links.append((tag, name, item.split()[0]))


@dataclass
class SiteReport:
    pages: int = 0
    problems: list[str] = field(default_factory=list)


def check_site(site: Path) -> SiteReport:
    """Ссылки между страницами ведут на существующие файлы и якоря; внешних загрузок нет.

    Ссылка ``<a href="https://…">`` — не загрузка, её читатель может не открывать;
    а вот ``src`` картинки или скрипта и ``<link href>`` стиля должны лежать в папке сайта.
    """
    report = SiteReport()
    parsed: dict[Path, _PageParser] = {}
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[0] in ("_static", "_sources", "_images", "_downloads"):
            continue  # шаблоны и файлы темы, а не страницы сайта
        parser = _PageParser()
        parser.feed(page.read_text(encoding="utf-8"))
        parsed[page.resolve()] = parser
    report.pages = len(parsed)
    for page, parser in parsed.items():
        where = page.relative_to(site.resolve())
        for tag, attr, url in parser.links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                if not (tag == "a" and attr == "href"):
                    report.problems.append(f"{where}: внешняя загрузка <{tag} {attr}={url!r}>")
                continue
            if parts.scheme in ("mailto", "data", "javascript") or parts.scheme:
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if not target.exists():
                report.problems.append(f"{where}: ссылка на несуществующий файл {url!r}")
                continue
            if target.is_dir():
                target = target / "index.html"
            anchor = unquote(parts.fragment)
            if anchor and target.suffix == ".html" and target in parsed:
                if anchor not in parsed[target].ids:
                    report.problems.append(f"{where}: нет якоря {url!r}")
    return report


# ------------------------------------------------------------------ сборка


@dataclass
class BuildResult:
    seconds: float
    pages: int
    executed: int  # сколько уроков выполнено в этот раз (остальные — из прошлой сборки)
    out: Path


def _check_tools() -> None:
    missing = []
    for name in SITE_PACKAGES:
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise KursError(
            "Для сборки сайта не хватает пакетов Python ("
            + ", ".join(missing)
            + '). Поставьте их вместе с инструментами для тестов: pip install -e ".[test]".'
        )
    if not (DOCS / "conf.py").is_file():
        raise KursError(
            "Сайт собирается из клона репозитория курса (нужны папки docs/ и lessons/), "
            f"а папки {DOCS} нет."
        )
    problem = missing_headers()
    if problem:
        raise KursError(problem)


def build(out: Path | None = None, *, clean: bool = False, quiet: bool = False) -> BuildResult:
    """Собирает сайт; уроки, не изменившиеся с прошлой сборки, не выполняются заново."""
    _check_tools()
    out = (out or SITE).resolve()
    if clean:
        import shutil

        for folder in (out, BUILD, DOCS / GALLERY):
            shutil.rmtree(folder, ignore_errors=True)
    env = {**os.environ, **LESSON_ENV, "KURS_OUT": str(BUILD / "kurs_output")}
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-E",  # страницы перечитываются: упражнения и оглавление всегда свежие
        "-n",  # ссылка на несуществующую страницу или якорь — ошибка
        "-W",
        "--keep-going",
        "-d",
        str(BUILD / "doctrees"),
        str(DOCS),
        str(out),
    ]
    if quiet:
        command.insert(3, "-q")
    started = time.time()  # с ним сравниваются времена изменения файлов
    start = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=quiet, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        details = (result.stdout or "") + (result.stderr or "") if quiet else ""
        raise KursError(
            "Сайт не собрался: Sphinx сообщил об ошибках"
            + (f":\n{details}" if details else " (они напечатаны выше).")
        )
    report = check_site(out)
    if report.problems:
        shown = "\n  ".join(report.problems[:20])
        raise KursError(f"В собранном сайте битые ссылки или загрузки извне:\n  {shown}")
    executed = sum(
        1 for path in (DOCS / GALLERY).rglob("*.py.md5") if path.stat().st_mtime >= started
    )
    return BuildResult(seconds=seconds, pages=report.pages, executed=executed, out=out)


def cmd_site(args) -> int:
    """``kurs site``: собрать сайт в папку site/ (или --out)."""
    result = build(Path(args.out) if args.out else None, clean=args.clean)
    index = result.out / "index.html"
    print(
        f"\nСайт собран за {result.seconds:.0f} с: {result.pages} страниц, "
        f"уроков выполнено заново: {result.executed}."
    )
    print(f"Откройте в браузере: {index.as_uri()}")
    return 0
