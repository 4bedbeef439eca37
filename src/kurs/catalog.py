"""Оглавление курса: номер, короткое имя, название и файл каждого урока."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import kurs.lessons
from kurs.errors import KursError

LESSONS_DIR = Path(kurs.lessons.__file__).resolve().parent


@dataclass(frozen=True)
class Lesson:
    number: str  # «1.6»
    slug: str  # «linear-regression»
    title: str  # по-русски
    file: str  # путь относительно папки lessons/
    seconds: int  # медиана стены `kurs run N` на 2-ядерном CPU (bench/lessons.py)
    metric: str | None = None  # имя переменной урока, которую проверяет бенчмарк
    target: float | None = None  # цель для metric
    higher_is_better: bool = True

    @property
    def path(self) -> Path:
        return LESSONS_DIR / self.file

    @property
    def section(self) -> str:
        return self.number.split(".")[0]

    def meets_target(self, value: float) -> bool:
        if self.target is None:
            return True
        return value >= self.target if self.higher_is_better else value <= self.target


SECTIONS = {"1": "Основы", "2": "Начальный уровень", "3": "Продвинутый уровень"}

LESSONS: tuple[Lesson, ...] = (
    Lesson("1.1", "tensors", "Тензоры", "01_osnovy/01_tensors.py", 4),
    Lesson("1.2", "operations", "Операции над тензорами", "01_osnovy/02_operations.py", 3),
    Lesson(
        "1.3",
        "autograd",
        "Вычислительный граф и автоматическое дифференцирование",
        "01_osnovy/03_autograd.py",
        5,
    ),
    Lesson(
        "1.4",
        "modules",
        "Модули, слои, функции потерь, оптимизаторы",
        "01_osnovy/04_modules.py",
        8,
    ),
    Lesson("1.5", "data", "Данные: Dataset и DataLoader", "01_osnovy/05_data.py", 6),
    Lesson(
        "1.6",
        "linear-regression",
        "Линейная регрессия",
        "01_osnovy/06_linear_regression.py",
        8,
        metric="max_param_error",
        target=0.02,
        higher_is_better=False,
    ),
    Lesson(
        "1.7",
        "logistic-regression",
        "Логистическая регрессия",
        "01_osnovy/07_logistic_regression.py",
        9,
        metric="test_accuracy",
        target=0.93,
    ),
    Lesson(
        "1.8",
        "feedforward",
        "Полносвязная сеть с Dropout",
        "01_osnovy/08_feedforward.py",
        11,
        metric="test_accuracy",
        target=0.96,
    ),
    Lesson("1.9", "save-load", "Сохранение и загрузка", "01_osnovy/09_save_load.py", 10),
)


def find_lesson(key: str) -> Lesson:
    """Урок по номеру («1.6»), короткому имени («linear-regression») или имени файла."""
    wanted = key.strip().lower()
    for lesson in LESSONS:
        if wanted in (lesson.number, lesson.slug, Path(lesson.file).stem):
            return lesson
    numbers = ", ".join(lesson.number for lesson in LESSONS)
    raise KursError(f"Урок «{key}» не найден. Есть уроки {numbers}; полный список — kurs list.")


def select_lessons(key: str) -> list[Lesson]:
    """``all`` — все уроки, номер раздела («1») — его уроки, иначе один урок."""
    wanted = key.strip().lower()
    if wanted == "all":
        return list(LESSONS)
    if wanted in SECTIONS:
        return [lesson for lesson in LESSONS if lesson.section == wanted]
    return [find_lesson(key)]
