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
        empty = {"version": PROGRESS_VERSION, "exercises": {}, "hints": {}}
        try:
            text = self.progress_path.read_text(encoding="utf-8")
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
            data = json.loads(text)
            if not isinstance(data.get("exercises"), dict):
                raise ValueError
        except ValueError:
            # Испорченный файл не выбрасываем: откладываем в сторону и начинаем заново.
            broken = self.progress_path.with_name(
                f"{PROGRESS_FILE}.broken-{datetime.now():%Y%m%d-%H%M%S}"
            )
            os.replace(self.progress_path, broken)
            print(f"Файл прогресса был повреждён; он сохранён как {broken}, ведём учёт заново.")
            return empty
        data.setdefault("hints", {})
        if data.get("version", 1) < PROGRESS_VERSION:
            data = self.migrate(data)
        return data

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

    def next_hint_level(self, exercise_id: str) -> int:
        data = self.load_progress()
        level = data["hints"].get(exercise_id, 0) + 1
        data["hints"][exercise_id] = level
        self.save_progress(data)
        return level
