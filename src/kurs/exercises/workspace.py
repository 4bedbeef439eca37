"""Рабочая папка ученика: копии заготовок, которые он правит, и файл прогресса.

Главное правило: работа ученика не теряется. Заготовки копируются только туда, где
файла ещё нет; сброс упражнения сначала спрашивает и сохраняет копию; прогресс
пишется атомарно (временный файл + os.replace), так что сбой посреди записи
оставляет прежнюю версию целой.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from kurs.errors import KursError
from kurs.exercises.spec import Exercise

DEFAULT_WORKSPACE = "kurs_praktika"
PROGRESS_FILE = ".kurs_progress.json"
BACKUP_DIR = ".backup"
PROGRESS_VERSION = 2

# Во втором издании раздела 1 урок «Сохранение и загрузка» переехал в конец раздела:
# 1.6 → 1.9, а 1.7, 1.8, 1.9 сдвинулись на один номер назад. Прогресс первой версии
# и файлы в старых папках переносятся под новые номера (см. Workspace.migrate).
RENUMBERED_V1 = {"1.6": "1.9", "1.7": "1.6", "1.8": "1.7", "1.9": "1.8"}


def _renumber_v1(exercise_id: str) -> str:
    lesson, _, number = exercise_id.rpartition(".")
    return f"{RENUMBERED_V1[lesson]}.{number}" if lesson in RENUMBERED_V1 else exercise_id


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# Поля записи об упражнении и проверка их вида.
ENTRY_FIELDS = {
    "passed": lambda v: isinstance(v, bool),
    "attempts": lambda v: _is_int(v) and v >= 0,
    "last_check": lambda v: isinstance(v, str),
    "first_passed": lambda v: isinstance(v, str),
}


def _clean_entry(entry) -> tuple[dict | None, bool]:
    """(запись без полей не того вида или None, была ли она целой)."""
    if not isinstance(entry, dict):
        return None, False
    clean = {
        key: value
        for key, value in entry.items()
        if key not in ENTRY_FIELDS or ENTRY_FIELDS[key](value)
    }
    return clean, len(clean) == len(entry)


def _sanitize(data) -> tuple[dict, str | None]:
    """(прогресс правильного вида, что было не так, или None — всё в порядке)."""
    clean = {"version": PROGRESS_VERSION, "exercises": {}, "hints": {}}
    if not isinstance(data, dict):
        kind = {list: "список", type(None): "null"}.get(type(data), type(data).__name__)
        return clean, f"вместо словаря — {kind}"
    problems = []
    version = data.get("version", 1)
    if _is_int(version) and 1 <= version <= PROGRESS_VERSION:
        clean["version"] = version
    else:
        problems.append(f"непонятная версия {version!r}")
    for key in ("exercises", "hints"):
        table = data.get(key, {})
        if not isinstance(table, dict):
            problems.append(f"«{key}» — не словарь")
            continue
        for exercise_id, value in table.items():
            if key == "exercises":
                entry, whole = _clean_entry(value)
                if entry is not None:
                    clean[key][exercise_id] = entry
            else:
                whole = _is_int(value) and value >= 0
                if whole:
                    clean[key][exercise_id] = value
            if not whole:
                problems.append(f"запись «{exercise_id}» в «{key}» не того вида")
    for key, value in data.items():
        if key not in clean:
            clean[key] = value  # чужие поля (из будущих версий) не теряем
    return clean, "; ".join(problems[:3]) or None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def atomic_write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Workspace:
    def __init__(self, root: Path | str | None = None):
        chosen = root or os.environ.get("KURS_WORKSPACE") or DEFAULT_WORKSPACE
        self.root = Path(chosen).expanduser()

    # --- файлы упражнений ---------------------------------------------------------------
    def path_for(self, exercise: Exercise) -> Path:
        return self.root / exercise.lesson / exercise.file

    def start(self, exercises: list[Exercise]) -> tuple[list[Path], list[Path]]:
        """Копирует заготовки; существующие файлы не трогает. Возвращает (новые, уже были)."""
        created, kept = [], []
        for exercise in exercises:
            target = self.path_for(exercise)
            if target.exists():
                kept.append(target)
                continue
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(exercise.stub_path, target)
            except OSError as exc:
                raise KursError(
                    f"Не удаётся создать файл {target} ({exc.strerror}). "
                    "Укажите другую рабочую папку через --workspace."
                ) from None
            created.append(target)
        return created, kept

    def reset(self, exercise: Exercise) -> Path | None:
        """Возвращает заготовку на место; прежний файл сохраняется в .backup/. Путь копии."""
        target = self.path_for(exercise)
        backup = None
        if target.exists():
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            backup = self.root / BACKUP_DIR / f"{exercise.id}-{stamp}-{exercise.file}"
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, backup)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(exercise.stub_path, target)
        self.record(exercise.id, passed=False, reset=True)
        return backup

    # --- прогресс -------------------------------------------------------------------------
    @property
    def progress_path(self) -> Path:
        return self.root / PROGRESS_FILE

    def load_progress(self) -> dict:
        """Прогресс из файла; любое его содержимое переживается.

        Файл, который нельзя прочитать как прогресс (не UTF-8, не JSON, список вместо
        словаря, запись не того вида), откладывается в сторону как .broken-…, ученик
        получает одну русскую фразу, а из файла берутся только записи правильного вида.
        """
        empty = {"version": PROGRESS_VERSION, "exercises": {}, "hints": {}}
        try:
            raw = self.progress_path.read_bytes()
        except FileNotFoundError:
            if any((self.root / old).is_dir() for old in RENUMBERED_V1):
                return self.migrate({**empty, "version": 1})  # заготовки есть, проверок не было
            return empty
        except OSError as exc:
            raise KursError(
                f"Не удаётся прочитать прогресс из {self.progress_path} ({exc.strerror or exc}). "
                "Проверьте права на папку или укажите другую через --workspace."
            ) from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            return self._set_aside("в нём не текст UTF-8", empty)
        except ValueError:
            return self._set_aside("это не JSON", empty)
        clean, problem = _sanitize(data)
        if problem:
            return self._set_aside(problem, clean)
        if clean["version"] < PROGRESS_VERSION:
            clean = self.migrate(clean)
        return clean

    def _set_aside(self, problem: str, clean: dict) -> dict:
        """Откладывает испорченный файл прогресса и продолжает с тем, что удалось спасти."""
        stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
        broken = self.progress_path.with_name(f"{PROGRESS_FILE}.broken-{stamp}")
        number = 1
        while broken.exists():  # два сбоя за секунду не должны затереть первую копию
            number += 1
            broken = self.progress_path.with_name(f"{PROGRESS_FILE}.broken-{stamp}-{number}")
        kept = len(clean["exercises"]) + len(clean["hints"])
        tail = f"сохранено записей: {kept}" if kept else "ведём учёт заново"
        try:
            os.replace(self.progress_path, broken)
            if clean["version"] < PROGRESS_VERSION:
                clean = self.migrate(clean)
            else:
                self.save_progress(clean)
        except (OSError, KursError):
            print(
                f"Файл прогресса {self.progress_path} повреждён ({problem}), а отложить его "
                "не удалось (нет прав на запись?); читаю из него то, что можно.",
                file=sys.stderr,
            )
            return clean
        print(
            f"Файл прогресса был повреждён ({problem}); он сохранён как {broken}, {tail}.",
            file=sys.stderr,
        )
        return clean

    def migrate(self, data: dict) -> dict:
        """Прогресс и файлы версии 1 (старые номера уроков 1.6–1.9) — под новые номера.

        Файлы упражнений переносятся в папки новых номеров, только если там ещё пусто:
        работа ученика никогда не затирается. Имена файлов упражнений в этих уроках
        разные, так что перепутать их нельзя.
        """
        from kurs.exercises.registry import all_exercises

        by_id = {ex.id: ex for ex in all_exercises()}
        moved = []
        for old_lesson, new_lesson in RENUMBERED_V1.items():
            for exercise in by_id.values():
                if exercise.lesson != new_lesson:
                    continue
                old_path = self.root / old_lesson / exercise.file
                new_path = self.path_for(exercise)
                if old_path.is_file() and not new_path.exists():
                    new_path.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(old_path, new_path)
                    moved.append((old_path, new_path))
        for key in ("exercises", "hints"):
            table = data.get(key)
            if isinstance(table, dict):
                data[key] = {_renumber_v1(k): v for k, v in table.items()}
        data["version"] = PROGRESS_VERSION
        self.save_progress(data)
        if moved:
            print("Уроки 1.6–1.9 получили новые номера; ваши файлы перенесены:")
            for old_path, new_path in moved:
                print(f"  {old_path} → {new_path}")
        return data

    def save_progress(self, data: dict) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            atomic_write_text(self.progress_path, text)
        except OSError as exc:
            raise KursError(
                f"Не удаётся записать прогресс в {self.progress_path} ({exc.strerror or exc}). "
                "Прежний файл прогресса не тронут; проверьте права на папку или укажите другую "
                "через --workspace."
            ) from None

    def record(self, exercise_id: str, *, passed: bool, reset: bool = False) -> None:
        data = self.load_progress()
        entry = data["exercises"].setdefault(exercise_id, {"attempts": 0})
        if not reset:
            entry["attempts"] = entry.get("attempts", 0) + 1
            entry["last_check"] = _now()
        entry["passed"] = passed
        if passed and "first_passed" not in entry:
            entry["first_passed"] = _now()
        self.save_progress(data)

    def passed(self) -> set[str]:
        return {
            key for key, entry in self.load_progress()["exercises"].items() if entry.get("passed")
        }

    def ever_passed(self) -> set[str]:
        """Решённые хотя бы раз (эталон остаётся открытым и после сброса)."""
        exercises = self.load_progress()["exercises"]
        return {key for key, entry in exercises.items() if "first_passed" in entry}

    def next_hint_level(self, exercise_id: str, count: int) -> int:
        """Номер следующей подсказки из count; счётчик не уходит дальше последней."""
        data = self.load_progress()
        level = min(data["hints"].get(exercise_id, 0) + 1, count)
        data["hints"][exercise_id] = level
        self.save_progress(data)
        return level
