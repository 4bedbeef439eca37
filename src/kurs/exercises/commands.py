"""Команды упражнений: kurs exercises / check / hint / reset / solution."""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from pathlib import Path

from kurs.errors import KursError
from kurs.exercises import registry
from kurs.exercises.sandbox import MISSING, NOT_DONE, Verdict, check, warm_up
from kurs.exercises.spec import Exercise
from kurs.exercises.workspace import Workspace

POLL_SECONDS = 0.5
EVENT_POLL_SECONDS = 2.0  # с событиями опрос лишь подстраховка


def _status_mark(exercise: Exercise, workspace: Workspace, progress: dict) -> str:
    entry = progress["exercises"].get(exercise.id)
    if not workspace.path_for(exercise).exists():
        return "  "
    if entry is None:
        return "· "
    return "✓ " if entry.get("passed") else "✗ "


def cmd_exercises(args) -> int:
    workspace = Workspace(args.workspace)
    if args.action == "start":
        if not args.target:
            raise KursError("Укажите урок: kurs exercises start 1.3 (или all).")
        created, kept = workspace.start(registry.select(args.target))
        for path in created:
            print(f"создан   {path}")
        for path in kept:
            print(f"уже есть {path} (не трогаю: там ваша работа)")
        print(f"\nОткройте файлы в редакторе, решите и проверьте: kurs check {args.target}")
        return 0
    if args.action is not None:
        raise KursError(
            f"Непонятное действие «{args.action}». Есть только: kurs exercises start УРОК."
        )
    progress = workspace.load_progress()
    for lesson in registry.lessons_with_exercises():
        exercises = [ex for ex in registry.all_exercises() if ex.lesson == lesson]
        done = sum(1 for ex in exercises if progress["exercises"].get(ex.id, {}).get("passed"))
        print(f"Урок {lesson}: решено {done} из {len(exercises)}")
        for ex in exercises:
            print(f"  {_status_mark(ex, workspace, progress)}{ex.id:<7} {ex.title}")
    print(
        "\n✓ решено  ✗ не прошло проверку  · ещё не проверялось  (пусто) файл не создан\n"
        f"Рабочая папка: {workspace.root.resolve()}\n"
        "Начать урок: kurs exercises start 1.3; проверить: kurs check 1.3; подсказка: kurs hint 1.3.1"
    )
    return 0


def _check_once(exercises: list[Exercise], workspace: Workspace) -> list[Verdict]:
    verdicts = []
    for ex in exercises:
        path = workspace.path_for(ex)
        verdict = check(ex, path)
        if verdict.kind == MISSING:
            verdict = Verdict(
                MISSING, f"файла {path} нет — создайте его: kurs exercises start {ex.lesson}"
            )
        else:
            workspace.record(ex.id, passed=verdict.passed)
        mark = "✓" if verdict.passed else "✗"
        print(f"{mark} {ex.id:<7} {ex.title}", flush=True)
        if not verdict.passed:
            for line in verdict.message.splitlines():
                print(f"    {line}")
            if verdict.kind not in (MISSING, NOT_DONE):
                print(f"    подсказка: kurs hint {ex.id}")
        verdicts.append(verdict)
    done = sum(v.passed for v in verdicts)
    print(f"Решено {done} из {len(verdicts)}.", flush=True)
    return verdicts


def _stamp(path: Path) -> tuple[int, int] | None:
    """Время изменения и размер файла; None — файла нет."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def _content(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Watcher:
    """Какие файлы упражнений сохранили заново — по одному разу на сохранение.

    Одно сохранение меняет файл не одним движением: `cp` сначала обрезает его, потом
    пишет; редактор пишет во временный файл и переименовывает. Поэтому после первого
    изменения ждём, пока файл SETTLE_SECONDS не меняется, и проверяем, только если
    содержимое отличается от уже проверенного: «touch» и повторное сохранение того же
    текста новой проверки не вызывают.
    """

    SETTLE_SECONDS = 0.3
    MAX_SETTLE_ROUNDS = 20  # файл, который пишут без конца, всё же проверим

    def __init__(self, paths: dict[str, Path], sleep=time.sleep):
        self.paths = paths
        self.sleep = sleep
        self.stamps = {key: _stamp(path) for key, path in paths.items()}
        self.contents = {key: _content(path) for key, path in paths.items()}

    def _current(self) -> dict:
        return {key: _stamp(path) for key, path in self.paths.items()}

    def changed(self) -> list[str]:
        """Ключи файлов, чьё содержимое изменилось с прошлой проверки."""
        current = self._current()
        if current == self.stamps:
            return []
        for _ in range(self.MAX_SETTLE_ROUNDS):  # ждём, пока запись закончится
            self.sleep(self.SETTLE_SECONDS)
            settled = self._current()
            if settled == current:
                break
            current = settled
        self.stamps = current
        changed = []
        for key, path in self.paths.items():
            content = _content(path)
            if content != self.contents[key]:
                self.contents[key] = content
                changed.append(key)
        return changed


def _file_events(folders: list[Path]) -> threading.Event | None:
    """Флаг «в папках что-то изменилось» от watchdog; None, если событий нет.

    События приходят мгновенно, но теряются на сетевых дисках, в WSL и в некоторых
    контейнерах, поэтому сравнение времени изменения файлов работает всегда, а события
    лишь будят его раньше. KURS_WATCH=poll отключает события совсем.
    """
    if os.environ.get("KURS_WATCH") == "poll":
        return None
    try:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
    except ImportError:
        return None
    changed = threading.Event()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            changed.set()

    observer = Observer()
    observer.daemon = True
    try:
        for folder in folders:
            observer.schedule(Handler(), str(folder), recursive=False)
        observer.start()
    except OSError:  # например, исчерпан лимит inotify
        return None
    return changed


def _started(workspace: Workspace) -> list[Exercise]:
    """Упражнения, чьи файлы уже лежат в рабочей папке (для kurs check без цели)."""
    started = [ex for ex in registry.all_exercises() if workspace.path_for(ex).is_file()]
    if not started:
        raise KursError(
            f"В рабочей папке {workspace.root} ещё нет ни одного решения. Начните с "
            "kurs exercises start 1.1 (или другим уроком), затем kurs check."
        )
    lessons = dict.fromkeys(ex.lesson for ex in started)  # all_exercises() уже по порядку
    print(f"Проверяю начатые упражнения ({len(started)}), уроки: {', '.join(lessons)}.")
    return started


def cmd_check(args) -> int:
    workspace = Workspace(args.workspace)
    exercises = _started(workspace) if args.target is None else registry.select(args.target)
    # Прогрев нужен серии проверок; если файлов ещё нет, проверять нечего и ждать незачем.
    if args.watch or sum(workspace.path_for(ex).is_file() for ex in exercises) > 1:
        warm_up()
    # Снимок до первой проверки: сохранение во время неё тоже будет замечено.
    watcher = Watcher({ex.id: workspace.path_for(ex) for ex in exercises}) if args.watch else None
    verdicts = _check_once(exercises, workspace)
    if not args.watch:
        return 0 if all(v.passed for v in verdicts) else 1
    folders = sorted(
        {
            workspace.path_for(ex).parent
            for ex in exercises
            if workspace.path_for(ex).parent.is_dir()
        }
    )
    events = _file_events(folders)
    if events is None:
        interval, how = POLL_SECONDS, f"опрашиваю файлы раз в {POLL_SECONDS:g} с"
    else:
        interval, how = EVENT_POLL_SECONDS, "по событиям файловой системы"
    print(
        f"\nСлежу за файлами ({how}): сохраните решение — проверю снова. Выход: Ctrl+C.", flush=True
    )
    by_id = {ex.id: ex for ex in exercises}
    try:
        while True:
            if events is None:
                time.sleep(interval)
            else:
                events.wait(interval)
                events.clear()
            changed = [by_id[key] for key in watcher.changed()]
            if changed:
                names = ", ".join(ex.id for ex in changed)
                print(f"\n--- {time.strftime('%H:%M:%S')} изменения: {names}")
                _check_once(changed, workspace)
    except KeyboardInterrupt:
        print("\nНаблюдение остановлено.")
        return 0


def cmd_hint(args) -> int:
    exercise = registry.find(args.exercise)
    all_hints = registry.hints().get(exercise.id, [])
    if not all_hints:
        print(f"К упражнению {exercise.id} подсказок нет.")
        return 0
    level = Workspace(args.workspace).next_hint_level(exercise.id, len(all_hints))
    shown = min(level, len(all_hints))
    print(f"Подсказка {shown} из {len(all_hints)} к упражнению {exercise.id} «{exercise.title}»:")
    print(f"  {all_hints[shown - 1]}")
    if level >= len(all_hints):
        if exercise.id in Workspace(args.workspace).ever_passed():
            print(f"Это последняя подсказка. Эталонное решение: kurs solution {exercise.id}")
        else:
            print(
                "Это последняя подсказка. Эталонное решение откроется, когда ваше пройдёт "
                f"проверку: kurs check {exercise.id}"
            )
    else:
        print(f"Следующая подсказка: kurs hint {exercise.id}")
    return 0


def _confirm(question: str) -> bool:
    if not sys.stdin or not sys.stdin.isatty():
        raise KursError(
            "Сброс заменит ваш файл заготовкой, а подтвердить это здесь некому. "
            "Если вы уверены, добавьте --yes."
        )
    answer = input(f"{question} [д/Н] ").strip().lower()
    return answer in ("д", "да", "y", "yes")


def cmd_reset(args) -> int:
    exercise = registry.find(args.exercise)
    workspace = Workspace(args.workspace)
    path = workspace.path_for(exercise)
    if path.exists() and not args.yes:
        question = f"Заменить {path} чистой заготовкой? Ваша версия будет сохранена в копии."
        if not _confirm(question):
            print("Ничего не изменено.")
            return 0
    backup = workspace.reset(exercise)
    print(f"Заготовка восстановлена: {path}")
    if backup:
        print(f"Ваша прежняя версия: {backup}")
    return 0


def cmd_solution(args) -> int:
    exercise = registry.find(args.exercise)
    if exercise.id not in Workspace(args.workspace).ever_passed():
        raise KursError(
            f"Эталонное решение {exercise.id} откроется, когда ваше решение пройдёт проверку: "
            f"kurs check {exercise.id}. Застряли — kurs hint {exercise.id}."
        )
    print(Path(exercise.solution_path).read_text(encoding="utf-8"), end="")
    return 0
