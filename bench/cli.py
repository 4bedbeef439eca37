"""Бенчмарк лёгких команд kurs: сколько ждёт ученик ответа на list, hint, solution…

Запуск: .venv/bin/python bench/cli.py [--repeat 7] [--src ПАПКА]

Каждая команда запускается отдельным процессом (`python -m kurs …`), как её запускает
ученик, в свежей рабочей папке; печатается медиана и худшее время по --repeat запускам
и то, импортирует ли команда torch (по выводу `python -X importtime`).

--src ПАПКА подставляет другую копию исходников (например, старый коммит, извлечённый
через `git worktree add /tmp/before КОММИТ`, и --src /tmp/before/src), чтобы сравнить
«до» и «после» в одном и том же окружении.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = [
    ["--help"],
    ["list"],
    ["exercises"],
    ["hint", "1.3.1"],
    ["solution", "1.3.1"],
    ["reset", "1.3.1", "--yes"],
]
# Эти команды принимают --workspace; --help и list тоже читают рабочую папку (list — прогресс).
WITH_WORKSPACE = {"list", "exercises", "hint", "solution", "reset"}


def _prepare_workspace(root: Path) -> None:
    """Рабочая папка, в которой 1.3.1 уже решено: иначе solution откажет слишком быстро."""
    root.mkdir(parents=True, exist_ok=True)
    progress = {
        "version": 2,
        "exercises": {"1.3.1": {"passed": True, "attempts": 1, "first_passed": "2026-01-01"}},
        "hints": {},
    }
    (root / ".kurs_progress.json").write_text(json.dumps(progress), encoding="utf-8")


def _command(args: list[str], workspace: Path) -> list[str]:
    extra = ["--workspace", str(workspace)] if args[0] in WITH_WORKSPACE else []
    return [sys.executable, "-m", "kurs", *args, *extra]


def _env(src: str | None) -> dict[str, str]:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    if src:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    return env


def _imports_torch(args: list[str], workspace: Path, env: dict[str, str]) -> bool:
    cmd = _command(args, workspace)
    cmd.insert(1, "-Ximporttime")
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    return any(line.rstrip().endswith("| torch") for line in result.stderr.splitlines())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--src", default=None, help="папка src другой копии курса")
    args = parser.parse_args()
    env = _env(args.src)

    print(f"источник: {args.src or 'установленный пакет'}; запусков на команду: {args.repeat}")
    print("\n| команда | медиана, с | худшее, с | импортирует torch |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for command in COMMANDS:
            times = []
            for run in range(args.repeat):
                workspace = Path(tmp) / f"ws-{command[0]}-{run}"
                _prepare_workspace(workspace)
                start = time.perf_counter()
                subprocess.run(
                    _command(command, workspace),
                    capture_output=True,
                    env=env,
                    timeout=600,
                    cwd=tmp,
                )
                times.append(time.perf_counter() - start)
            workspace = Path(tmp) / f"ws-{command[0]}-importtime"
            _prepare_workspace(workspace)
            torch_loaded = "да" if _imports_torch(command, workspace, env) else "нет"
            print(
                f"| kurs {' '.join(command)} | {statistics.median(times):.2f} | "
                f"{max(times):.2f} | {torch_loaded} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
