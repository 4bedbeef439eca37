"""Русский текст для языковых моделей раздела 3 (уроки 3.1 и 3.2).

Какой текст берёт урок, решает параметр ``--text`` (``kurs run 3.1 --text …`` или
``python lessons/03_prodvinutyi/01_char_lm.py --text …``):

* без ``--text`` — сборник афоризмов Debian ``fortunes-ru`` (около двух миллионов символов),
  если пакет установлен (``sudo apt install fortunes-ru``), а иначе тексты самого курса;
* ``--text course`` — всегда тексты курса: они лежат внутри пакета, работают на любой
  системе и без сети;
* ``--text fortunes`` — всегда ``fortunes-ru`` (если пакета нет — понятная ошибка);
* ``--text ФАЙЛ`` — любой ваш текстовый файл в UTF-8, например роман. Файл с именем
  ``course`` или ``fortunes`` передайте путём с папкой: ``--text ~/книги/course``.

Тексты курса собираются по правилу, которое не зависит от системы и порядка файлов на диске:

1. словарь курса ``glossary.md``: обычные строки как есть (без знаков разметки ``#``),
   а из строк таблицы — «термин — что это» (первый и третий столбцы);
2. подсказки и описания упражнений — все строковые значения файлов ``*.toml`` из папки
   упражнений пакета (файлы по алфавиту, значения в порядке записи);
3. условия упражнений — строка документации и комментарии заготовок (файлы по алфавиту);
4. уроки — строка документации и комментарии каждого файла урока (по алфавиту пути,
   то есть по порядку уроков).

Из каждой строки убираются знаки комментария ``#`` и крайние пробелы; остаются только
строки, в которых есть хотя бы одна русская буква (так отпадают код, пустые строки и
подчёркивания заголовков). Строки соединяются переводом строки. Уроки идут последними,
поэтому валидационная часть (конец текста) — это текст последних уроков.

``fortunes-ru`` распространяется по GPL-2, поэтому курс его не копирует: текст читается
из ``/usr/share/games/fortunes/ru/``. Берутся все файлы папки, кроме индексов ``*.dat`` и
ссылок ``*.u8`` (по алфавиту); строки-разделители ``%`` и пустые строки убираются,
крайние пробелы и табуляции строк — тоже.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

from kurs.errors import KursError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FORTUNES_DIR = Path("/usr/share/games/fortunes/ru")
COURSE = "course"
FORTUNES = "fortunes"
MIN_CHARS = 10_000  # меньше — не наберётся даже одного батча уроков 3.1 и 3.2
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@dataclass(frozen=True)
class Corpus:
    """Текст и его происхождение (урок печатает, на чём учился)."""

    name: str  # «course», «fortunes» или «file»
    description: str  # по-русски, для печати
    text: str


# --- Тексты курса ---


def _russian_lines(lines) -> list[str]:
    kept = []
    for line in lines:
        line = line.strip()
        if CYRILLIC.search(line):
            kept.append(line)
    return kept


def _python_text(source: str) -> list[str]:
    """Строка документации модуля и комментарии файла ``.py``."""
    parts = []
    docstring = ast.get_docstring(ast.parse(source), clean=True)
    if docstring:
        parts.extend(docstring.splitlines())
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comment = token.string.lstrip("#")
            if not comment.startswith(" %%"):  # разметка ячеек блокнота
                parts.append(comment)
    return _russian_lines(parts)


def _toml_strings(value) -> list[str]:
    if isinstance(value, str):
        return value.splitlines()
    if isinstance(value, dict):
        return [line for item in value.values() for line in _toml_strings(item)]
    if isinstance(value, list):
        return [line for item in value for line in _toml_strings(item)]
    return []


def _glossary_text(markdown: str) -> list[str]:
    """Строки словаря: абзацы как есть, строка таблицы — «термин — что это»."""
    lines = []
    for line in markdown.splitlines():
        line = line.strip()
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            line = f"{cells[0]} — {cells[2]}" if len(cells) >= 3 else ""
        lines.append(line.lstrip("#"))
    return _russian_lines(lines)


def _sorted_files(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.rglob(pattern), key=lambda path: path.relative_to(folder).as_posix())


def course_text() -> str:
    """Русские тексты курса, соединённые по правилу из описания модуля."""
    import kurs.exercises
    from kurs.catalog import LESSONS_DIR

    exercises_dir = Path(kurs.exercises.__file__).resolve().parent
    lines: list[str] = []
    glossary = exercises_dir.parent / "glossary.md"  # src/kurs/glossary.md
    if glossary.is_file():
        lines.extend(_glossary_text(glossary.read_text(encoding="utf-8")))
    for path in _sorted_files(exercises_dir, "*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        lines.extend(_russian_lines(_toml_strings(data)))
    for path in _sorted_files(exercises_dir / "stubs", "*.py"):
        lines.extend(_python_text(path.read_text(encoding="utf-8")))
    for path in _sorted_files(LESSONS_DIR, "*.py"):
        if path.name != "__init__.py":
            lines.extend(_python_text(path.read_text(encoding="utf-8")))
    return "\n".join(lines) + "\n"


# --- fortunes-ru ---


def fortunes_files(folder: Path = FORTUNES_DIR) -> list[Path]:
    """Файлы с афоризмами (без индексов .dat и ссылок .u8); пустой список — пакета нет."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and not path.is_symlink() and path.suffix not in (".dat", ".u8")
    )


def fortunes_available(folder: Path = FORTUNES_DIR) -> bool:
    return bool(fortunes_files(folder))


def fortunes_text(folder: Path = FORTUNES_DIR) -> str:
    """Все афоризмы ``fortunes-ru`` без разделителей ``%``, строка за строкой."""
    files = fortunes_files(folder)
    if not files:
        raise KursError(
            f"Сборник fortunes-ru не найден в {folder}. Установите пакет "
            "(sudo apt install fortunes-ru) или выберите другой текст: --text course "
            "(тексты курса) или --text ФАЙЛ."
        )
    lines = []
    for path in files:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if line and line != "%":
                lines.append(line)
    return "\n".join(lines) + "\n"


# --- Свой файл ---


def read_text_file(path: Path | str) -> str:
    """Текст файла ученика; всё, что нельзя считать текстом UTF-8, — ошибка ``KursError``."""
    path = Path(path).expanduser()
    if not path.exists():
        raise KursError(f"Файл «{path}» не найден. Проверьте путь после --text.")
    if path.is_dir():
        raise KursError(f"«{path}» — это папка, а --text ждёт текстовый файл.")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KursError(f"Файл «{path}» не удаётся прочитать ({exc.strerror}).") from None
    if not raw.strip():
        raise KursError(f"Файл «{path}» пуст: языковой модели нужен текст.")
    if b"\x00" in raw:
        raise KursError(
            f"Файл «{path}» двоичный, а не текстовый (в нём есть нулевые байты). "
            "Нужен обычный текст в кодировке UTF-8."
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KursError(
            f"Файл «{path}» не в кодировке UTF-8 (ошибка на байте {exc.start}). "
            "Пересохраните его в UTF-8, например: iconv -f cp1251 -t utf-8 старый.txt > новый.txt."
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


# --- Выбор корпуса ---


def load_corpus(text: Path | str | None = None, *, fortunes_dir: Path = FORTUNES_DIR) -> Corpus:
    """Корпус по значению ``--text``: None, ``course``, ``fortunes`` или путь к файлу."""
    choice = None if text is None else str(text)
    if choice is None:
        choice = FORTUNES if fortunes_available(fortunes_dir) else COURSE
    if choice == COURSE:
        return Corpus(COURSE, "тексты курса (уроки, условия и подсказки упражнений)", course_text())
    if choice == FORTUNES:
        return Corpus(
            FORTUNES, f"афоризмы fortunes-ru из {fortunes_dir}", fortunes_text(fortunes_dir)
        )
    return Corpus("file", f"файл {Path(choice).expanduser()}", read_text_file(choice))


def lesson_corpus(opts) -> Corpus:
    """Корпус для урока: ошибка выбора — одна русская фраза и код 2, без трассировки."""
    from kurs.helpers import _stop

    try:
        corpus = load_corpus(opts.text)
    except KursError as exc:
        _stop(str(exc))
    if len(corpus.text) < MIN_CHARS:
        _stop(
            f"В тексте ({corpus.description}) символов всего {len(corpus.text)}, "
            f"а языковой модели нужно хотя бы {MIN_CHARS} (несколько страниц)."
        )
    return corpus


# --- Слова ---


def words(text: str) -> list[str]:
    """Слова текста: куски между пробелами без знаков препинания по краям, только из букв."""
    found = []
    for chunk in text.lower().split():
        chunk = chunk.strip(".,:;!?…«»\"'()[]{}—–-")
        if chunk.isalpha():
            found.append(chunk)
    return found


def real_word_share(sample: str, known: set[str]) -> float:
    """Доля слов ``sample``, которые встречаются в множестве ``known``; 0, если слов нет."""
    sample_words = words(sample)
    if not sample_words:
        return 0.0
    return sum(word in known for word in sample_words) / len(sample_words)
