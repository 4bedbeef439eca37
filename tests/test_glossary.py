"""Словарь курса src/kurs/glossary.md: едет внутри пакета, полон и не врёт о своих уроках."""

import re
from importlib import resources

import pytest

from kurs.catalog import LESSONS

# Термины, которые словарь обязан объяснять (issue 6, часть 2).
REQUIRED = {
    "батч": "batch",
    "скорость обучения": "learning rate",
    "шаг": "step",
    "страйд": "stride",
    "эпоха": "epoch",
    "функция потерь": "loss function",
    "логиты": "logits",
    "доля верных ответов": "accuracy",
    "точность": "precision",
    "полнота": "recall",
    "валидационная часть": "validation",
    "тестовая часть": "test",
    "режим обучения / режим оценки": "eval()",
    "стандартное отклонение": "standard deviation",
    "тензор": "tensor",
    "градиент": "gradient",
    "граф вычислений": "computational graph",
    "модуль": "module",
    "параметр": "parameter",
    "оптимизатор": "optimizer",
    "переобучение": "overfitting",
    "Dropout": "dropout",
    "свёртка": "convolution",
    "рекуррентная сеть": "recurrent",
    "внимание": "attention",
    "эмбеддинг": "embedding",
    "softmax": "softmax",
    "кросс-энтропия": "cross-entropy",
    "импульс": "momentum",
}

# Корень слова, по которому термин ищется в тексте урока (падежи не мешают).
STEMS = {
    "режим обучения / режим оценки": "eval()",
    "нормализация по батчу": "нормализация по батчу",
    "лист графа": "лист",
    "автоматическое дифференцирование": "автоматическ",
}


def _text():
    return resources.files("kurs").joinpath("glossary.md").read_text(encoding="utf-8")


def _rows():
    rows = []
    for line in _text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 4 and cells[0] not in ("Термин", "---"):
            rows.append(cells)
    return rows


def test_glossary_ships_inside_the_package():
    text = _text()
    assert text.startswith("# Словарь курса")
    assert len(_rows()) >= len(REQUIRED)


def test_every_row_is_complete():
    numbers = {lesson.number for lesson in LESSONS}
    terms = [term for term, *_ in _rows()]
    assert len(terms) == len(set(terms)), "термин повторяется"
    for term, english, definition, lesson in _rows():
        assert term and english and len(definition) > 20, term
        assert re.fullmatch(r"\d\.\d", lesson) and lesson in numbers, (term, lesson)


def test_required_terms_with_english():
    rows = {term: english for term, english, _, _ in _rows()}
    for term, english in REQUIRED.items():
        assert term in rows, f"в словаре нет «{term}»"
        assert english.lower() in rows[term].lower(), (term, rows[term])


@pytest.mark.parametrize("term, lesson_number", [(row[0], row[3]) for row in _rows()])
def test_term_is_in_its_lesson(term, lesson_number):
    """Урок, названный в словаре, действительно говорит об этом термине."""
    lesson = next(item for item in LESSONS if item.number == lesson_number)
    stem = STEMS.get(term, term.split()[0])
    if stem == term.split()[0] and len(stem) > 5:
        stem = stem[:-2]  # «эпоха» → «эпо…»: ищем корень, а не точную форму
    text = lesson.path.read_text(encoding="utf-8").lower()
    assert stem.lower() in text, f"«{term}»: в уроке {lesson_number} нет «{stem}»"
