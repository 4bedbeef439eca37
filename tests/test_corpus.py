"""Русский текст для уроков 3.1 и 3.2 (src/kurs/corpus.py): выбор, правила сборки, ошибки."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import kurs.exercises
from kurs import corpus
from kurs.catalog import LESSONS_DIR
from kurs.corpus import (
    CYRILLIC,
    FORTUNES_DIR,
    course_text,
    fortunes_available,
    fortunes_text,
    lesson_corpus,
    load_corpus,
    read_text_file,
    real_word_share,
    words,
)
from kurs.errors import KursError
from kurs.helpers import LessonOptions

needs_fortunes = pytest.mark.skipif(
    not fortunes_available(),
    reason="пакет fortunes-ru не установлен (sudo apt install fortunes-ru)",
)


# --- Тексты курса ---


def test_course_text_is_deterministic_russian_and_large():
    text = course_text()
    assert text == course_text()
    assert len(text) > 30_000
    lines = text.splitlines()
    assert all(CYRILLIC.search(line) for line in lines)
    assert all(line == line.strip() and line for line in lines)
    assert not any(line.startswith(("#", "%%")) for line in lines)


def test_course_text_takes_docstrings_and_comments_but_not_code():
    text = course_text()
    lesson = LESSONS_DIR / "03_prodvinutyi" / "01_char_lm.py"
    source = lesson.read_text(encoding="utf-8")
    assert "Языковая модель на символах" in text  # строка документации
    assert "Модель нигде не видела правил русского языка. Долю «настоящих» слов" in text
    assert "Модель нигде не видела" in source
    # Код и строки f"…" в print не попадают, даже с русскими буквами.
    assert 'print(f"Биграммы:' in source
    assert "Биграммы:               {bigram_bpc" not in text
    assert "import torch" not in text


def test_course_text_order_is_glossary_toml_stubs_lessons():
    text = course_text()
    exercises_dir = Path(kurs.exercises.__file__).resolve().parent
    glossary = (exercises_dir.parent / "glossary.md").read_text(encoding="utf-8")
    assert text.startswith(corpus._glossary_text(glossary)[0] + "\n")
    toml_files = sorted(exercises_dir.rglob("*.toml"), key=lambda p: p.relative_to(exercises_dir))
    stubs = sorted((exercises_dir / "stubs").rglob("*.py"))
    assert toml_files and stubs

    first_toml = corpus.tomllib.loads(toml_files[0].read_text(encoding="utf-8"))
    # Самые длинные строки — без случайных повторов в других файлах.
    toml_line = max(corpus._russian_lines(corpus._toml_strings(first_toml)), key=len)
    stub_line = max(corpus._python_text(stubs[0].read_text(encoding="utf-8")), key=len)
    lessons = sorted(LESSONS_DIR.rglob("0*/*.py"), key=lambda p: p.relative_to(LESSONS_DIR))
    lesson_line = max(corpus._python_text(lessons[0].read_text(encoding="utf-8")), key=len)
    assert text.index(toml_line) < text.index(stub_line) < text.index(lesson_line)
    # Текст кончается последней русской строкой последнего по алфавиту урока.
    last_lesson = lessons[-1]
    assert text.endswith(corpus._python_text(last_lesson.read_text(encoding="utf-8"))[-1] + "\n")


def test_glossary_rule_keeps_term_and_definition():
    markdown = """# Словарь

Одно слово — одно понятие.

| Термин | English | Что это | Где |
|---|---|---|---|
| батч | batch | группа примеров | 1.1 |
| logits | logits | raw scores | 1.4 |
"""
    assert corpus._glossary_text(markdown) == [
        "Словарь",
        "Одно слово — одно понятие.",
        "Термин — Что это",
        "батч — группа примеров",
    ]


def test_python_text_rule_on_a_small_file():
    source = '''"""Заголовок

Text without Russian letters.
Вторая строка документации."""

# %%
# Первый комментарий
x = "строка кода"  # хвостовой комментарий
# ----------
# only english
'''
    assert corpus._python_text(source) == [
        "Заголовок",
        "Вторая строка документации.",
        "Первый комментарий",
        "хвостовой комментарий",
    ]


# --- fortunes-ru ---


def make_fortunes(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a").write_text(
        "Первая мысль\nв две строки.\n\t\t-- Автор\n%\nВторая мысль.  \n%\n", encoding="utf-8"
    )
    (folder / "a.dat").write_bytes(b"\x00\x01\x02")
    (folder / "a.u8").symlink_to("a")
    (folder / "b").write_bytes("Третья мысль.\r\n%\r\n\r\n".encode())
    return folder


def test_fortunes_text_strips_separators_and_skips_indexes_and_links(tmp_path):
    folder = make_fortunes(tmp_path / "ru")
    assert [path.name for path in corpus.fortunes_files(folder)] == ["a", "b"]
    assert fortunes_text(folder) == (
        "Первая мысль\nв две строки.\n-- Автор\nВторая мысль.\nТретья мысль.\n"
    )


def test_default_is_fortunes_when_present_and_course_otherwise(tmp_path):
    folder = make_fortunes(tmp_path / "ru")
    chosen = load_corpus(None, fortunes_dir=folder)
    assert chosen.name == "fortunes" and chosen.text.startswith("Первая мысль")
    assert str(folder) in chosen.description
    absent = tmp_path / "нет"
    assert not fortunes_available(absent)
    fallback = load_corpus(None, fortunes_dir=absent)
    assert fallback.name == "course" and fallback.text == course_text()
    assert load_corpus("course", fortunes_dir=folder).name == "course"


def test_fortunes_chosen_but_absent_is_a_clear_error(tmp_path):
    with pytest.raises(KursError, match="fortunes-ru не найден.*apt install fortunes-ru"):
        load_corpus("fortunes", fortunes_dir=tmp_path / "нет")


@needs_fortunes
def test_real_fortunes_ru_is_read_from_the_system():
    text = fortunes_text()
    assert len(text) > 1_500_000
    lines = text.splitlines()
    assert "%" not in lines and "" not in lines
    first_file = corpus.fortunes_files()[0]
    first_line = next(
        line.strip() for line in first_file.read_text(encoding="utf-8").splitlines() if line
    )
    assert lines[0] == first_line
    chosen = load_corpus(None)
    assert chosen.name == "fortunes" and chosen.text == text
    assert str(FORTUNES_DIR) in chosen.description


# --- Свой файл ---


def test_text_file_is_read_as_utf8_without_bom_and_crlf(tmp_path):
    path = tmp_path / "роман.txt"
    path.write_bytes("\ufeffГлава 1\r\nБыл вечер.\r\n".encode())
    assert read_text_file(path) == "Глава 1\nБыл вечер.\n"
    chosen = load_corpus(path)
    assert chosen.name == "file" and str(path) in chosen.description


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (None, "не найден"),
        (b"", "пуст"),
        (b"  \n\t\n", "пуст"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "двоичный"),
        ("Привет, мир".encode("cp1251"), "не в кодировке UTF-8"),
    ],
    ids=["missing", "empty", "blank", "binary", "cp1251"],
)
def test_bad_text_file_is_one_russian_sentence(tmp_path, content, phrase):
    path = tmp_path / "текст.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(KursError, match=phrase) as error:
        load_corpus(path)
    assert str(path) in str(error.value)


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(KursError, match="это папка"):
        read_text_file(tmp_path)


def lesson_options(text):
    return LessonOptions(quick=True, device="cpu", out=Path("out"), text=text)


def test_lesson_corpus_stops_with_code_2_on_bad_or_short_text(tmp_path, capsys):
    short = tmp_path / "short.txt"
    short.write_text("Коротко. " * 10, encoding="utf-8")
    for path, phrase in ((tmp_path / "нет.txt", "не найден"), (short, "хотя бы 10000")):
        with pytest.raises(SystemExit) as stop:
            lesson_corpus(lesson_options(path))
        assert stop.value.code == 2
        assert phrase in capsys.readouterr().err
    enough = tmp_path / "enough.txt"
    enough.write_text("Достаточно длинный текст. " * 500, encoding="utf-8")
    assert lesson_corpus(lesson_options(enough)).text.startswith("Достаточно")


def run_quietly(*command):
    env = {**os.environ, "MPLBACKEND": "Agg", "TQDM_DISABLE": "1"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


@pytest.mark.parametrize("how", ["kurs run", "script"])
def test_lesson_with_bad_text_exits_2_without_traceback(tmp_path, how):
    binary = tmp_path / "picture.bin"
    binary.write_bytes(bytes(range(256)) * 10)
    if how == "kurs run":
        result = run_quietly(
            sys.executable, "-m", "kurs", "run", "char-lm", "--quick", "--text", str(binary)
        )
    else:
        lesson = LESSONS_DIR / "03_prodvinutyi" / "01_char_lm.py"
        result = run_quietly(sys.executable, str(lesson), "--quick", "--text", str(binary))
    assert result.returncode == 2
    assert "двоичный" in result.stderr and "Traceback" not in result.stderr


# --- Слова ---


def test_words_are_letters_only_lowercase_and_stripped_of_punctuation():
    text = "Жизнь — это «игра»,  а не 2 игры! Кот-в-сапогах (кот) x1 ...ёж"
    assert words(text) == ["жизнь", "это", "игра", "а", "не", "игры", "кот", "ёж"]


def test_real_word_share():
    known = {"мама", "мыла", "раму"}
    assert real_word_share("Мама мыла раму.", known) == 1.0
    assert real_word_share("мама мылаа раму, 33", known) == pytest.approx(2 / 3)
    assert real_word_share("123 — !!", known) == 0.0
