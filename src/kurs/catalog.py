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
    Lesson(
        "2.1",
        "images",
        "Изображения и torchvision",
        "02_nachalnyi/01_images.py",
        28,
        metric="test_accuracy",
        target=0.9,
    ),
    Lesson(
        "2.2",
        "cnn",
        "Свёрточная сеть",
        "02_nachalnyi/02_cnn.py",
        53,
        metric="test_accuracy",
        target=0.98,
    ),
    Lesson(
        "2.3",
        "resnet",
        "ResNet: остаточные связи",
        "02_nachalnyi/03_resnet.py",
        20,
        metric="finetune_accuracy",
        target=0.8,
    ),
    Lesson(
        "2.4",
        "rnn",
        "Рекуррентная сеть",
        "02_nachalnyi/04_rnn.py",
        30,
        metric="test_accuracy",
        target=0.94,
    ),
    Lesson(
        "2.5",
        "bidirectional-rnn",
        "Двунаправленная сеть",
        "02_nachalnyi/05_bidirectional.py",
        16,
        metric="bi_accuracy",
        target=0.97,
    ),
    Lesson(
        "3.1",
        "char-lm",
        "Языковая модель на символах",
        "03_prodvinutyi/01_char_lm.py",
        45,
        metric="bits_below_bigram",  # насколько LSTM лучше биграмм, бит на символ
        target=0.5,
    ),
    Lesson(
        "3.2",
        "gpt",
        "Внимание и маленький GPT",
        "03_prodvinutyi/02_gpt.py",
        75,
        metric="bits_below_bigram",  # насколько GPT лучше биграмм, бит на символ
        target=0.5,
    ),
    Lesson(
        "3.3",
        "vae",
        "Вариационный автокодировщик",
        "03_prodvinutyi/03_vae.py",
        45,
        metric="test_elbo",  # ELBO на тестовой части, нат на картинку
        target=-125.0,
    ),
    Lesson(
        "3.4",
        "gan",
        "GAN: генератор против дискриминатора",
        "03_prodvinutyi/04_gan.py",
        55,
        metric="confident_share",  # доля картинок, в которых классификатор уверен
        target=0.3,
    ),
    Lesson(
        "3.5",
        "tensorboard",
        "TensorBoard",
        "03_prodvinutyi/05_tensorboard.py",
        32,
        metric="best_accuracy",
        target=0.94,
    ),
)


def find_lesson(key: str) -> Lesson:
    """Урок по номеру («1.6»), короткому имени («linear-regression») или имени файла."""
    wanted = key.strip().lower()
    for lesson in LESSONS:
        if wanted in (lesson.number, lesson.slug, Path(lesson.file).stem):
            return lesson
    section = wanted.split(".")[0]
    if wanted.replace(".", "").isdigit() and any(ls.section == section for ls in LESSONS):
        # Номер не угадывают по буквам: показываем уроки его раздела.
        numbers = {lesson.number for lesson in LESSONS if lesson.section == section}
        lead = f"В разделе {section} есть уроки"
        raise KursError(f"Урок «{key}» не найден. {lesson_names(numbers, lead)}")
    guess = did_you_mean(wanted)
    if guess:
        raise KursError(f"Урок «{key}» не найден.{guess} Все уроки — kurs list.")
    raise KursError(f"Урок «{key}» не найден. {lesson_names()}")


def did_you_mean(wanted: str, numbers: set[str] | None = None) -> str:
    """« Возможно, вы имели в виду 1.6 (linear-regression)?» — или пустая строка."""
    import difflib

    names = {}
    for lesson in LESSONS:
        if numbers is None or lesson.number in numbers:
            for name in (lesson.number, lesson.slug, Path(lesson.file).stem):
                names[name] = lesson
    scored = sorted(
        ((difflib.SequenceMatcher(None, wanted, name).ratio(), name) for name in names),
        reverse=True,
    )
    best = scored[0][0] if scored else 0.0
    # Только похожие и почти так же похожие, как лучшее: «linear-regresion» — это 1.6.
    close = [name for score, name in scored if score >= max(0.6, best - 0.1)]
    found = list(dict.fromkeys(names[name] for name in close))
    if not found:
        return ""
    guesses = " или ".join(f"{lesson.number} ({lesson.slug})" for lesson in found[:2])
    return f" Возможно, вы имели в виду {guesses}?"


def lesson_names(numbers: set[str] | None = None, lead: str = "Есть уроки") -> str:
    """«Есть уроки 1.1 tensors, 1.2 operations, …; полный список — kurs list.»"""
    chosen = [lesson for lesson in LESSONS if numbers is None or lesson.number in numbers]
    listed = ", ".join(f"{lesson.number} {lesson.slug}" for lesson in chosen)
    return f"{lead} {listed}; полный список — kurs list."


def select_lessons(key: str) -> list[Lesson]:
    """``all`` — все уроки, номер раздела («1») — его уроки, иначе один урок."""
    wanted = key.strip().lower()
    if wanted == "all":
        return list(LESSONS)
    if wanted in SECTIONS:
        return [lesson for lesson in LESSONS if lesson.section == wanted]
    return [find_lesson(key)]
