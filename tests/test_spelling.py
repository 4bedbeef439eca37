"""Орфография русского текста, который читает ученик (tools/spellcheck.py, hunspell + ru_RU)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("spellcheck", ROOT / "tools" / "spellcheck.py")
spellcheck = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(spellcheck)

needs_hunspell = pytest.mark.skipif(
    not spellcheck.hunspell_available(),
    reason="нет hunspell с русским словарём (Debian: apt-get install hunspell hunspell-ru)",
)


def test_learner_text_is_collected_and_code_is_not():
    texts = spellcheck.sources()
    lesson = next(path for path in texts if path.parent.name == "01_osnovy")
    assert spellcheck.words_of(texts[lesson])  # комментарии урока попали в проверку
    assert texts[ROOT / "README.md"] and any(p.suffix == ".toml" for p in texts)
    cleaned = spellcheck.strip_markup("Вызов ``torch.zeroz`` и `тензр`, :math:`ошибк`, {поле}.")
    assert spellcheck.words_of(cleaned) == ["Вызов"]  # однобуквенные слова не проверяются


def test_developer_docstrings_and_comments_are_not_learner_text(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        '"""Документация модуля."""\n# комментарий\nMESSAGE = "Сообщение ученику"\n',
        encoding="utf-8",
    )
    text = spellcheck.python_text(module, comments=False, docstrings=False)
    assert text == "Сообщение ученику"
    full = spellcheck.python_text(module, comments=True, docstrings=True)
    assert "Документация" in full and "комментарий" in full


@needs_hunspell
def test_checker_catches_typos_and_knows_project_terms():
    assert spellcheck.unknown_words({"тензорр", "градеинт", "тензоров"}) == {"тензорр", "градеинт"}
    # Термины из docs/words.txt склоняются по слову-образцу.
    assert spellcheck.unknown_words({"батчей", "логитами", "чекпойнта"}) == set()


@needs_hunspell
def test_no_unknown_words_in_learner_text():
    report = spellcheck.check()
    lines = [f"{path.relative_to(ROOT)}: {', '.join(sorted(bad))}" for path, bad in report.items()]
    assert not report, (
        "незнакомые слова (опечатку исправьте, верный термин добавьте в docs/words.txt):\n"
        + "\n".join(lines)
    )
