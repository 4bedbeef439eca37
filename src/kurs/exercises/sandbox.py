"""Проверка решения в отдельном процессе с ограничением времени и памяти.

Решение ученика может зациклиться или попросить 100 ГБ памяти; проверяющий процесс
от этого не должен пострадать. Поэтому каждое упражнение проверяется в дочернем
процессе: на Linux он ответвляется (fork) от процесса, где torch уже импортирован,
и стартует за миллисекунды; на других системах запускается заново (spawn).
"""

from __future__ import annotations

import functools
import importlib.util
import multiprocessing
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from kurs.exercises.spec import CheckFailure, Exercise, ForbiddenCall, forbid, set_forbidden

MEMORY_LIMIT_GB = 2.0

PASSED = "passed"
NOT_DONE = "not_done"
WRONG = "wrong"
ERROR = "error"
SYNTAX = "syntax"
FORBIDDEN = "forbidden"
TIMEOUT = "timeout"
MEMORY = "memory"
CRASHED = "crashed"
MISSING = "missing"


# Запрещённые операторы называем так, как ученик их пишет.
OPERATOR_NAMES = {
    "__matmul__": "оператором @",
    "__rmatmul__": "оператором @",
    "__pow__": "оператором **",
}


@dataclass(frozen=True)
class Verdict:
    kind: str
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.kind == PASSED


def _learner_frame(exc: BaseException, path: Path) -> traceback.FrameSummary | None:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == path]
    return frames[-1] if frames else None


def _is_out_of_memory(exc: BaseException) -> bool:
    if isinstance(exc, MemoryError):
        return True
    text = str(exc).lower()
    return isinstance(exc, RuntimeError) and (
        "can't allocate memory" in text or "not enough memory" in text or "out of memory" in text
    )


def _explain(exc: BaseException, path: Path) -> Verdict:
    """Превращает исключение в вердикт со строкой кода ученика, а не трассировкой проверки."""
    if isinstance(exc, CheckFailure):
        return Verdict(WRONG, str(exc))
    if isinstance(exc, ForbiddenCall):
        name = OPERATOR_NAMES.get(exc.name.rsplit(".", 1)[-1], exc.name)
        return Verdict(FORBIDDEN, f"условие запрещает пользоваться {name}; напишите это сами")
    frame = _learner_frame(exc, path)
    where = f"строка {frame.lineno} файла {path.name}: {frame.line}" if frame else ""
    if isinstance(exc, NotImplementedError) and frame is not None:
        return Verdict(NOT_DONE, "ещё не решено: в функции стоит raise NotImplementedError")
    if _is_out_of_memory(exc):
        return Verdict(
            MEMORY,
            f"решение превысило лимит памяти ({MEMORY_LIMIT_GB:g} ГБ) и было остановлено"
            + (f"; {where}" if where else ""),
        )
    name = type(exc).__name__
    if frame is None:
        # Сбой в самой проверке: обычно ответ не того вида (None вместо пары и т. п.).
        return Verdict(ERROR, f"проверка не смогла разобрать ваш ответ — {name}: {exc}")
    return Verdict(ERROR, f"ваш код выбросил исключение — {where}\n    {name}: {exc}")


def _load_module(path: Path):
    spec = importlib.util.spec_from_file_location(f"kurs_solution_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # Windows: без ограничения памяти
        return
    try:
        with open("/proc/self/statm") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        current = 0
    limit = current + int(MEMORY_LIMIT_GB * 1024**3)
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def check_in_process(exercise: Exercise, path: Path) -> Verdict:
    """Проверка без изоляции (её вызывает дочерний процесс)."""
    path = path.resolve()
    set_forbidden(exercise.forbidden)
    try:
        try:
            with forbid(exercise.forbidden):
                module = _load_module(path)
        except SyntaxError as exc:
            return Verdict(SYNTAX, f"синтаксическая ошибка в строке {exc.lineno}: {exc.msg}")
        target = getattr(module, exercise.name, None)
        if target is None:
            return Verdict(
                ERROR, f"в файле {path.name} нет «{exercise.name}»: не переименовывайте её"
            )
        exercise.check(target)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # любой сбой решения (и sys.exit в нём) становится вердиктом
        return _explain(exc, path)
    finally:
        set_forbidden(())
    return Verdict(PASSED)


def _child(exercise_id: str, path: str, conn) -> None:
    from kurs.exercises.registry import all_exercises

    _limit_memory()
    exercise = next(ex for ex in all_exercises() if ex.id == exercise_id)
    try:
        verdict = check_in_process(exercise, Path(path))
    except BaseException as exc:  # noqa: BLE001
        verdict = Verdict(CRASHED, f"{type(exc).__name__}: {exc}")
    conn.send((verdict.kind, verdict.message))
    conn.close()


@functools.cache
def warm_up() -> None:
    """Тяжёлые импорты torch — один раз, до ответвления проверок.

    Первый же оптимизатор или torch.manual_seed подгружает torch._dynamo (~2 с здесь).
    Сделанный в родителе, этот импорт достаётся каждому дочернему процессу бесплатно.
    Зовут его те, кто проверяет много упражнений подряд; одной проверке он не нужен.
    """
    import torch._dynamo  # noqa: F401


def _context():
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def check(exercise: Exercise, path: Path, time_limit: float | None = None) -> Verdict:
    """Проверяет файл ``path`` как решение упражнения, изолированно и с лимитами."""
    if not path.is_file():
        return Verdict(MISSING, f"файл {path} не найден")
    limit = exercise.time_limit if time_limit is None else time_limit
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(exercise.id, str(path), sender), daemon=True)
    process.start()
    sender.close()
    got = receiver.poll(limit)
    if not got:
        process.kill()
        process.join()
        return Verdict(
            TIMEOUT,
            f"решение не уложилось в {limit:g} с и было остановлено — нет ли бесконечного цикла?",
        )
    try:
        kind, message = receiver.recv()
    except EOFError:
        process.join()
        return Verdict(
            CRASHED,
            f"процесс проверки аварийно завершился (код {process.exitcode}); "
            "возможно, решению не хватило памяти",
        )
    process.join()
    return Verdict(kind, message)
