"""Проверка не остаётся сиротой: когда умирает `kurs check`, умирает и дочерний процесс.

Решение ученика — бесконечный цикл, который сперва записывает номер своего процесса в
файл. Родителя (процесс, вызвавший проверку) убиваем SIGKILL, SIGTERM или SIGINT и ждём,
что процесс проверки исчезнет сам. Предел времени проверки здесь — 10 минут, так что
закончить проверку может только смерть родителя, а не обычный таймаут.
Таймауты в тестах щедрые: они лишь страхуют от зависания на занятой машине.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="процессы ищем через /proc (только Linux)"
)

PARENT = textwrap.dedent(
    """
    import signal, sys
    from pathlib import Path

    # Запущенный из фона Python наследует «игнорировать SIGINT»; ученик же жмёт Ctrl+C
    # в терминале, где SIGINT работает, — воспроизводим это.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from kurs.exercises.registry import find
    from kurs.exercises.sandbox import check

    print(check(find("1.3.1"), Path(sys.argv[1]), time_limit=600.0), flush=True)
    """
)

ENDLESS = textwrap.dedent(
    """
    import os
    from pathlib import Path

    def chain_rule(b, c):
        Path({marker!r}).write_text(str(os.getpid()))
        while True:
            pass
    """
)


def _alive(pid: int) -> bool:
    """Процесс существует и не зомби (зомби ждёт, пока его приберёт init, но не работает)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    state = stat.rsplit(")", 1)[1].split()[0]
    return state not in ("Z", "X")


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _start(tmp_path, command):
    marker = tmp_path / "child.pid"
    solution = tmp_path / "solution.py"
    solution.write_text(ENDLESS.format(marker=str(marker)), encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    parent = subprocess.Popen(
        [*command, str(solution)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        started = _wait_for(
            lambda: (marker.exists() and marker.read_text()) or parent.poll() is not None, 300
        )
        assert started and parent.poll() is None, "проверка так и не запустила решение: " + (
            parent.communicate(timeout=60)[0] or b""
        ).decode(errors="replace")
        child = int(marker.read_text())
        assert _alive(child) and child != parent.pid
    except BaseException:
        parent.kill()
        raise
    return parent, child


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=str)
def test_child_dies_with_its_parent(tmp_path, sig):
    parent, child = _start(tmp_path, [sys.executable, "-c", PARENT])
    try:
        time.sleep(0.5)  # решение крутится в цикле
        parent.send_signal(sig)
        parent.wait(timeout=120)
        assert _wait_for(lambda: not _alive(child), 30), (
            f"после {sig.name} родителя процесс проверки {child} всё ещё работает"
        )
    finally:
        parent.kill()
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def test_kill_9_of_kurs_check_leaves_no_orphan(tmp_path):
    """То же через настоящую команду: kill -9 процесса `kurs check` посреди проверки."""
    workspace = tmp_path / "ws"
    exercise_dir = workspace / "1.3"
    exercise_dir.mkdir(parents=True)
    script = (
        "import sys, shutil\n"
        "from kurs.cli import main\n"
        f"shutil.copy(sys.argv[1], {str(exercise_dir / 'ex1_chain_rule.py')!r})\n"
        f"raise SystemExit(main(['check', '1.3.1', '--workspace', {str(workspace)!r}]))\n"
    )
    parent, child = _start(tmp_path, [sys.executable, "-c", script])
    try:
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=120)
        assert _wait_for(lambda: not _alive(child), 30), "процесс проверки пережил kill -9"
    finally:
        parent.kill()
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def test_check_time_limit_is_cpu_time_and_ends_the_loop(tmp_path):
    """Бесконечный цикл останавливает предел процессорного времени, а не сторонний таймер."""
    from kurs.exercises import sandbox
    from kurs.exercises.registry import find

    solution = tmp_path / "solution.py"
    solution.write_text(ENDLESS.format(marker=str(tmp_path / "child.pid")), encoding="utf-8")
    verdict = sandbox.check(find("1.3.1"), solution, time_limit=1.0)
    assert verdict.kind == sandbox.TIMEOUT
    assert "не уложилось в 1 с процессорного времени" in verdict.message
    child = int((tmp_path / "child.pid").read_text())
    assert _wait_for(lambda: not _alive(child), 30)
