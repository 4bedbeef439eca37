"""Проверка решения в отдельном процессе с ограничением времени и памяти.

Решение ученика может зациклиться или попросить 100 ГБ памяти; проверяющий процесс
от этого не должен пострадать. Поэтому каждое упражнение проверяется в дочернем
процессе: на Linux он ответвляется (fork) от процесса, где torch уже импортирован,
и стартует за миллисекунды; на других системах запускается заново (spawn).

Три обещания дочернего процесса:

* время ограничено процессорным временем (RLIMIT_CPU), а не часами на стене: на
  занятой машине верное решение не получит «не уложилось»; от решения, которое
  ждёт, не тратя процессор, защищает запасной предел по часам в родителе;
* дочерний процесс не переживает родителя: ``kill -9``, Ctrl+C или SIGTERM команды
  ``kurs check`` заканчивают и проверку (PR_SET_PDEATHSIG на Linux, сторож-поток везде);
* одинаковый файл — одинаковый вердикт: перед проверкой генераторы torch, random и
  NumPy получают одно и то же зерно, чем бы ни был занят родитель.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import math
import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from kurs.exercises.spec import CheckFailure, Exercise, ForbiddenCall, forbid, set_forbidden

MEMORY_LIMIT_GB = 2.0
CHECK_SEED = 0  # зерно глобальных генераторов перед каждой проверкой
# Запасной предел по часам на стене — во столько раз больше предела процессорного времени
# (но не меньше чем на WALL_EXTRA секунд): он ловит решения, которые спят или ждут.
WALL_FACTOR = 4.0
WALL_EXTRA = 20.0
PARENT_POLL_SECONDS = 0.5  # как часто сторож дочернего процесса проверяет родителя

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


def _raised_in(exc: BaseException, path: Path) -> bool:
    """Брошено ли исключение кодом из файла path (а не библиотекой, которую тот вызвал)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and Path(frames[-1].filename) == path


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
    if isinstance(exc, NotImplementedError) and _raised_in(exc, path):
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
    message = f"ваш код выбросил исключение — {where}\n    {name}: {exc}"
    hint = torch_error_hint(str(exc))
    if hint:
        message += f"\n    По-русски: {hint}"
    return Verdict(ERROR, message)


# Частые ошибки PyTorch у начинающих: кусок английского сообщения → что оно значит.
TORCH_ERRORS = (
    (
        "modified by an inplace operation",
        "тензор, нужный обратному проходу, изменён на месте после того, как по нему "
        "посчитали результат (часто — шагом оптимизатора). Посчитайте результат заново после "
        "step() или не меняйте тензор на месте",
    ),
    (
        "backward through the graph a second time",
        "второй backward по тому же графу: после первого промежуточные значения уже удалены. "
        "Посчитайте потери заново (новый прямой проход)",
    ),
    (
        "does not require grad and does not have a grad_fn",
        "у тензора нет графа вычислений: он получен без requires_grad, после detach() или "
        "внутри torch.no_grad()",
    ),
    (
        "should be between 0 and 1",
        "BCELoss ждёт вероятности от 0 до 1. Для логитов — BCEWithLogitsLoss "
        "(F.binary_cross_entropy_with_logits): сигмоида уже внутри",
    ),
    (
        "cannot be multiplied",
        "формы не подходят для матричного умножения: число столбцов первой матрицы должно "
        "равняться числу строк второй",
    ),
    (
        "must match the size of tensor b",
        "формы тензоров несовместимы: по каждому измерению (считая с конца) длины должны "
        "совпадать или одна из них должна быть 1 (broadcasting)",
    ),
    (
        "is invalid for input of size",
        "в новой форме (view/reshape) должно быть столько же элементов, сколько в тензоре",
    ),
    (
        "Expected all tensors to be on the same device",
        "тензоры на разных устройствах (cpu и cuda): переместите их на одно через .to(device)",
    ),
    (
        "expected scalar type",
        "у тензоров разные типы чисел (dtype): приведите их к одному, например .float()",
    ),
)


def torch_error_hint(text: str) -> str | None:
    """Русское объяснение частой ошибки PyTorch (или None, если она не из их числа)."""
    return next((hint for fragment, hint in TORCH_ERRORS if fragment in text), None)


# Частые сообщения SyntaxError по-русски; английский оригинал всё равно показываем рядом.
SYNTAX_MESSAGES = {
    "invalid syntax": "неверный синтаксис",
    "expected ':'": "ожидалось двоеточие «:»",
    "unexpected indent": "лишний отступ",
    "unindent does not match any outer indentation level": (
        "отступ не совпадает ни с одним из внешних уровней"
    ),
    "expected an indented block": "ожидался блок с отступом",
    "unterminated string literal": "строка не закрыта кавычкой",
    "unterminated triple-quoted string literal": "строка в тройных кавычках не закрыта",
    "was never closed": "скобка не закрыта",
    "unmatched": "лишняя закрывающая скобка",
    "invalid character": "недопустимый символ",
    "inconsistent use of tabs and spaces in indentation": "в отступах смешаны табуляция и пробелы",
    "Perhaps you forgot a comma?": "возможно, пропущена запятая",
}


def _syntax_verdict(exc: SyntaxError, path: Path) -> Verdict:
    """Русское начало, строка ученика, английский текст Python — без полного пути к файлу."""
    english = (exc.msg or "").strip()
    russian = next(
        (text for key, text in SYNTAX_MESSAGES.items() if key in english), "ошибка синтаксиса"
    )
    kind = "ошибка отступа" if isinstance(exc, IndentationError) else "синтаксическая ошибка"
    where = f"в строке {exc.lineno} файла {path.name}" if exc.lineno else f"в файле {path.name}"
    message = f"{kind} {where}: {russian}"
    line = (exc.text or "").strip()
    if line:
        message += f"\n    {line}"
    # Путь к файлу Python иногда вставляет и в сам текст — убираем его.
    english = english.replace(str(path), path.name)
    return Verdict(SYNTAX, f"{message}\n    (Python пишет по-английски: {english})")


def _seed_everything(seed: int = CHECK_SEED) -> None:
    """Одно зерно для всех глобальных генераторов: одинаковый файл — одинаковый вердикт."""
    import random

    import torch

    random.seed(seed)
    torch.manual_seed(seed)
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy приходит вместе с курсом
        return
    numpy.random.seed(seed)


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
        checker = exercise.check  # импорт модуля проверки (и torch) — до зерна
        _seed_everything()
        try:
            with forbid(exercise.forbidden):
                module = _load_module(path)
        except SyntaxError as exc:
            return _syntax_verdict(exc, path)
        target = getattr(module, exercise.name, None)
        if target is None:
            return Verdict(
                ERROR, f"в файле {path.name} нет «{exercise.name}»: не переименовывайте её"
            )
        checker(target)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # любой сбой решения (и sys.exit в нём) становится вердиктом
        return _explain(exc, path)
    finally:
        set_forbidden(())
    return Verdict(PASSED)


def _die_with_parent(parent_pid: int) -> None:
    """Дочерний процесс не должен пережить родителя (kill -9, закрытый терминал).

    На Linux ядро само пришлёт SIGKILL, когда родитель умрёт (PR_SET_PDEATHSIG). Сторож-
    поток — для остальных систем и на случай, если родитель умер раньше, чем мы успели
    попросить ядро: тогда у процесса уже другой родитель.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - необычная libc
            pass
    if os.getppid() != parent_pid:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_SECONDS)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="kurs-parent-watch", daemon=True).start()


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _limit_cpu(seconds: float) -> None:
    """После seconds секунд процессорного времени ядро остановит процесс сигналом SIGXCPU."""
    try:
        import resource
    except ImportError:  # Windows: остаётся предел по часам в родителе
        return
    # Уже потраченное (при spawn — запуск Python и импорт torch) не считается решению.
    soft = math.ceil(_cpu_seconds() + seconds)
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    new_hard = soft + 2 if hard == resource.RLIM_INFINITY else min(hard, soft + 2)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (min(soft, new_hard), new_hard))
    # SIGXCPU по умолчанию пишет дамп памяти; в папке ученика ему не место.
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))


def _child(exercise_id: str, path: str, conn, parent_pid: int, cpu_limit: float) -> None:
    _die_with_parent(parent_pid)
    # Ctrl+C в терминале получает вся группа процессов; проверку заканчивает родитель.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from kurs.exercises.registry import all_exercises

    exercise = next(ex for ex in all_exercises() if ex.id == exercise_id)
    # Импорт проверки (и torch) — до предела памяти: torch резервирует гигабайты адресов.
    exercise.check  # noqa: B018
    _limit_memory()
    _limit_cpu(cpu_limit)
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
    import multiprocessing  # ~50 мс: нужен только тем, кто действительно проверяет

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def wall_limit(cpu_limit: float) -> float:
    """Запасной предел по часам для проверки с пределом cpu_limit секунд процессора."""
    return max(cpu_limit * WALL_FACTOR, cpu_limit + WALL_EXTRA)


def _timeout_verdict(limit: float) -> Verdict:
    return Verdict(
        TIMEOUT,
        f"решение не уложилось в {limit:g} с процессорного времени и было остановлено — "
        "нет ли бесконечного цикла?",
    )


def check(exercise: Exercise, path: Path, time_limit: float | None = None) -> Verdict:
    """Проверяет файл ``path`` как решение упражнения, изолированно и с лимитами."""
    if not path.is_file():
        return Verdict(MISSING, f"файл {path} не найден")
    limit = exercise.time_limit if time_limit is None else time_limit
    ctx = _context()
    if ctx.get_start_method() == "fork":
        # Модуль проверки и torch импортируются здесь один раз, а ответвлённый процесс
        # получает их готовыми (и не упирается в свой предел памяти при импорте).
        exercise.check  # noqa: B018
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=_child,
        args=(exercise.id, str(path), sender, os.getpid(), limit),
        daemon=True,
    )
    process.start()
    try:
        sender.close()
        wall = wall_limit(limit)
        if not receiver.poll(wall):
            return Verdict(
                TIMEOUT,
                f"решение работало дольше {wall:g} с, почти не занимая процессор, и было "
                "остановлено — не ждёт ли оно чего-то (input(), sleep, блокировка)?",
            )
        try:
            kind, message = receiver.recv()
        except EOFError:
            process.join()
            if process.exitcode == -getattr(signal, "SIGXCPU", -1000):
                return _timeout_verdict(limit)
            return Verdict(
                CRASHED,
                f"процесс проверки аварийно завершился (код {process.exitcode}); "
                "возможно, решению не хватило памяти",
            )
        return Verdict(kind, message)
    finally:
        # И при вердикте, и при Ctrl+C / SIGTERM родителя: проверка не остаётся сиротой.
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
