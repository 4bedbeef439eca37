"""Проверка орфографии русского текста, который читает ученик: hunspell + словарь ru_RU.

Что проверяется (новые файлы подхватываются сами):

* уроки ``lessons/**/*.py``, заготовки и эталоны упражнений — комментарии и все строки;
* остальной код пакета ``src/kurs/**/*.py`` — строки, кроме docstring (это сообщения
  проверок и команды ``kurs``; docstring и комментарии там читают разработчики);
* описания упражнений и подсказки ``src/kurs/exercises/info/*.toml``;
* README, глоссарий, страницы сайта в ``docs/`` и заголовки разделов в ``lessons/``.

Проверяются только слова кириллицей: английские слова в русском тексте — имена функций
и термины, их не проверить русским словарём. Код в ``двойных кавычках`` reST,
`обратных кавычках` Markdown и формулы :math:`…` пропускаются.

Слова, которых нет в словаре, но которые верны (термины, имена), — в ``docs/words.txt``,
по одному в строке. Чтобы слово склонялось, после косой черты укажите слово-образец из
словаря с теми же окончаниями: ``батч/матч`` — тогда верны и «батчи», и «батчей».

Запуск: ``python tools/spellcheck.py`` — печатает незнакомые слова по файлам и выходит
с кодом 1, если они есть; ``--words`` — только список слов с числом повторов.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import shutil
import subprocess
import sys
import tokenize
from collections import Counter
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
WORDS = ROOT / "docs" / "words.txt"
DICTIONARY = "ru_RU"
EXERCISES = ROOT / "src" / "kurs" / "exercises"

WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
# Разметка, внутри которой не русский текст: код, формулы, адреса.
MARKUP = [
    re.compile(r"```.*?```", re.S),  # блок кода Markdown
    re.compile(r":math:`[^`]*`"),
    re.compile(r"``[^`]*``"),
    re.compile(r"`[^`\n]*`"),
    re.compile(r"https?://\S+"),
    re.compile(r"\{[^{}\n]*\}"),  # {doc}, {include} и поля f-строк
]


def strip_markup(text: str) -> str:
    for pattern in MARKUP:
        text = pattern.sub(" ", text)
    return text


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def python_text(path: Path, *, comments: bool, docstrings: bool) -> str:
    """Строки (и, если нужно, комментарии) файла Python."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    skip = set() if docstrings else _docstring_nodes(tree)
    parts = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]
    if comments:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                parts.append(token.string.lstrip("#"))
    return "\n".join(parts)


def toml_text(path: Path) -> str:
    def strings(value) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [s for item in value for s in strings(item)]
        if isinstance(value, dict):
            return [s for item in value.values() for s in strings(item)]
        return []

    with open(path, "rb") as fh:
        return "\n".join(strings(tomllib.load(fh)))


def sources() -> dict[Path, str]:
    """Файл → его русский текст для проверки."""
    texts: dict[Path, str] = {}
    learner_code = [
        *sorted((ROOT / "lessons").rglob("*.py")),
        *sorted((EXERCISES / "stubs").rglob("*.py")),
        *sorted((EXERCISES / "solutions").rglob("*.py")),
    ]
    for path in learner_code:
        texts[path] = python_text(path, comments=True, docstrings=True)
    for path in sorted((ROOT / "src" / "kurs").rglob("*.py")):
        if path not in texts:
            texts[path] = python_text(path, comments=False, docstrings=False)
    for path in sorted((EXERCISES / "info").glob("*.toml")):
        texts[path] = toml_text(path)
    documents = [
        ROOT / "README.md",
        *sorted((ROOT / "src" / "kurs").rglob("*.md")),
        *sorted((ROOT / "docs").glob("*.md")),
        *sorted((ROOT / "docs").glob("*.rst")),
        *sorted((ROOT / "lessons").rglob("*.rst")),
    ]
    for path in documents:
        if path.is_file():
            texts[path] = path.read_text(encoding="utf-8")
    return {path: strip_markup(text) for path, text in texts.items()}


def words_of(text: str) -> list[str]:
    return [word for word in WORD.findall(text) if len(word) > 1]


def hunspell_available() -> bool:
    if shutil.which("hunspell") is None:
        return False
    result = subprocess.run(
        ["hunspell", "-D"], input="", capture_output=True, text=True, check=False
    )
    return any(
        line.strip().endswith(f"/{DICTIONARY}") for line in (result.stdout + result.stderr).split()
    )


def unknown_words(words: set[str], word_list: Path = WORDS) -> set[str]:
    """Слова, которых нет ни в словаре ru_RU, ни в списке проекта."""
    if not words:
        return set()
    command = ["hunspell", "-d", DICTIONARY, "-i", "utf-8", "-l"]
    if word_list.is_file():
        command += ["-p", str(word_list)]
    result = subprocess.run(
        command,
        input=("\n".join(sorted(words)) + "\n").encode("utf-8"),
        capture_output=True,
        check=True,
    )
    return set(result.stdout.decode("utf-8").split())


def check() -> dict[Path, Counter]:
    """Файл → незнакомые слова в нём (с числом повторов)."""
    per_file = {path: Counter(words_of(text)) for path, text in sources().items()}
    unknown = unknown_words({word for counts in per_file.values() for word in counts})
    report = {}
    for path, counts in per_file.items():
        bad = Counter({word: n for word, n in counts.items() if word in unknown})
        if bad:
            report[path] = bad
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Орфография русского текста курса (hunspell).")
    parser.add_argument("--words", action="store_true", help="только список слов с повторами")
    args = parser.parse_args(argv)
    if not hunspell_available():
        print(
            f"Нет hunspell со словарём {DICTIONARY}: поставьте пакеты hunspell и hunspell-ru.",
            file=sys.stderr,
        )
        return 2
    report = check()
    if args.words:
        total = sum(report.values(), Counter())
        for word, count in sorted(total.items(), key=lambda item: (-item[1], item[0])):
            print(f"{count:4} {word}")
    else:
        for path, bad in report.items():
            print(f"{path.relative_to(ROOT)}: {', '.join(sorted(bad))}")
    if report:
        print(
            f"\nНезнакомых слов: {len(set().union(*report.values()))}. Исправьте опечатки, "
            f"а верные термины добавьте в {WORDS.relative_to(ROOT)}.",
            file=sys.stderr,
        )
        return 1
    print("Орфография в порядке.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
