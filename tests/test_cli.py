"""Команда kurs: понятные русские ошибки с кодом 2, без трассировки; работа ученика цела."""

import json
import os
import subprocess
import sys

import pytest

from kurs.cli import main
from kurs.errors import KursError
from kurs.exercises.registry import find, select

PYTHON = sys.executable


def like_a_terminal():
    """preexec_fn: Ctrl+C доходит до процесса, как в терминале ученика.

    Тесты, запущенные из фона (``pytest &``, nohup), наследуют «игнорировать SIGINT», и
    Python в дочернем процессе тогда вовсе не превращает SIGINT в KeyboardInterrupt.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def kurs(*args, cwd=None):
    env = {**os.environ, "MPLBACKEND": "Agg", "TQDM_DISABLE": "1"}
    return subprocess.run(
        [PYTHON, "-m", "kurs", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600
    )


def test_no_arguments_explains_itself(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "kurs run" in out and "kurs check" in out and "kurs list" in out


def test_list_shows_every_lesson_with_number_title_and_time(capsys):
    from kurs.catalog import LESSONS

    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for lesson in LESSONS:
        assert lesson.number in out and lesson.title in out and f"~{lesson.seconds} с" in out


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["run", "7.7"], "Урок «7.7» не найден"),
        (["run", "nosuch-lesson"], "не найден"),
        (["check", "9.9.9"], "не найдены"),
        (["hint", "1.3"], "Укажите одно упражнение"),
        (["run"], "не хватает аргументов"),
        (["run", "1.6", "--quik"], "--quik (возможно, вы имели в виду --quick)"),
        (["run", "1.6", "extra"], "непонятные аргументы: extra"),
        (["frobnicate"], "недопустимое значение"),
    ],
)
def test_bad_input_gives_russian_sentence_and_exit_2(args, phrase, capsys):
    with pytest.raises(SystemExit) as exc:  # argparse выходит сам
        raise SystemExit(main(args))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert phrase in err and "Traceback" not in err


def test_cuda_request_without_cuda_is_refused(capsys):
    import torch

    if torch.cuda.is_available():
        pytest.skip("здесь есть CUDA: отказ проверяется только на машине без видеокарты")
    assert main(["run", "1.6", "--device", "cuda"]) == 2
    assert "cuda" in capsys.readouterr().err


def test_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("не папка")
    assert main(["run", "1.6", "--out", str(blocker / "sub")]) == 2
    assert "нельзя записать" in capsys.readouterr().err


def test_real_process_exit_code_and_no_traceback(tmp_path):
    result = kurs("run", "42", cwd=tmp_path)
    assert result.returncode == 2
    assert "Ошибка: Урок «42» не найден" in result.stderr and "Traceback" not in result.stderr


def test_run_quick_writes_outputs_to_chosen_folder(tmp_path):
    result = kurs(
        "run", "linear-regression", "--quick", "--device", "cpu", "--out", "res", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    figure = tmp_path / "res" / "linear-regression" / "linear_regression.png"
    assert figure.is_file()
    assert f"Рисунок сохранён: {figure.relative_to(tmp_path)}" in result.stdout


def test_progress_bars_do_not_flood_a_log(tmp_path):
    """Без терминала (вывод в файл, журнал CI) полосок tqdm нет: они писали строку на эпоху."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TQDM_")}
    env["MPLBACKEND"] = "Agg"
    command = [PYTHON, "-m", "kurs", "run", "linear-regression", "--quick", "--device", "cpu"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "Эпохи" not in result.stderr and "it/s" not in result.stderr, result.stderr[-2000:]
    assert "Урок 1.6 выполнен" in result.stdout


def test_exercise_workflow_keeps_learner_work(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["exercises", "start", "1.3"]) == 0
    exercise = find("1.3.1")
    mine = tmp_path / "kurs_praktika" / "1.3" / exercise.file
    assert mine.read_text(encoding="utf-8") == exercise.stub_path.read_text(encoding="utf-8")

    # Повторный start не затирает работу ученика.
    mine.write_text(exercise.solution_path.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["exercises", "start", "1.3"]) == 0
    assert "уже есть" in capsys.readouterr().out
    assert mine.read_text(encoding="utf-8") == exercise.solution_path.read_text(encoding="utf-8")

    # Эталон закрыт, пока упражнение не решено.
    assert main(["solution", "1.3.1"]) == 2
    assert main(["check", "1.3.1"]) == 0
    assert "✓ 1.3.1" in capsys.readouterr().out
    total = len(select("1.3"))
    assert main(["check", "1.3"]) == 1  # остальные ещё заготовки
    out = capsys.readouterr().out
    assert "✗ 1.3.2" in out and f"Решено 1 из {total}" in out
    assert main(["solution", "1.3.1"]) == 0
    assert "def chain_rule" in capsys.readouterr().out
    assert main(["list"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if " 1.3 " in line)
    assert f" 1/{total} " in row

    progress = json.loads((tmp_path / "kurs_praktika" / ".kurs_progress.json").read_text())
    assert progress["exercises"]["1.3.1"]["passed"] is True
    assert progress["exercises"]["1.3.2"]["passed"] is False

    # Сброс без подтверждения невозможен (в тестах нет терминала).
    assert main(["reset", "1.3.1"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert "def chain_rule" in mine.read_text(encoding="utf-8")
    assert "NotImplementedError" not in mine.read_text(encoding="utf-8")
    # С --yes — заготовка на месте, а прежняя версия сохранена.
    assert main(["reset", "1.3.1", "--yes"]) == 0
    assert "NotImplementedError" in mine.read_text(encoding="utf-8")
    backups = list((tmp_path / "kurs_praktika" / ".backup").iterdir())
    assert len(backups) == 1
    assert backups[0].read_text(encoding="utf-8") == exercise.solution_path.read_text(
        encoding="utf-8"
    )


def test_reset_asks_and_respects_no(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    main(["exercises", "start", "1.3"])
    mine = tmp_path / "kurs_praktika" / "1.3" / find("1.3.2").file
    mine.write_text("# моя работа\n", encoding="utf-8")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "н")
    assert main(["reset", "1.3.2"]) == 0
    assert mine.read_text(encoding="utf-8") == "# моя работа\n"
    assert "Ничего не изменено" in capsys.readouterr().out


def test_hints_come_level_by_level(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    from kurs.exercises.registry import hints

    levels = hints()["1.3.2"]
    for number, text in enumerate(levels, start=1):
        assert main(["hint", "1.3.2"]) == 0
        out = capsys.readouterr().out
        assert f"Подсказка {number} из {len(levels)}" in out and text in out
    assert main(["hint", "1.3.2"]) == 0
    assert "последняя подсказка" in capsys.readouterr().out


def test_check_without_workspace_says_how_to_start(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "1.3.1"]) == 1
    assert "kurs exercises start 1.3" in capsys.readouterr().out


def test_check_without_target_checks_what_was_started(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2  # начатых нет: русская фраза, а не проверка всех 60 упражнений
    assert "ещё нет ни одного решения" in capsys.readouterr().err
    assert main(["exercises", "start", "1.3"]) == 0
    solved = find("1.3.1")
    mine = tmp_path / "kurs_praktika" / "1.3" / solved.file
    mine.write_text(solved.solution_path.read_text(encoding="utf-8"), encoding="utf-8")
    capsys.readouterr()
    assert main(["check"]) == 1  # 1.3.2–1.3.4 ещё заготовки
    out = capsys.readouterr().out
    assert "Проверяю начатые упражнения (4), уроки: 1.3." in out
    assert "1.3.1" in out and "1.3.4" in out and "1.1.1" not in out


def test_corrupted_progress_file_is_kept_aside_not_lost(tmp_path, monkeypatch, capsys):
    from kurs.exercises.workspace import Workspace

    workspace = Workspace(tmp_path / "ws")
    workspace.root.mkdir()
    workspace.progress_path.write_text("{ обрыв записи", encoding="utf-8")
    workspace.record("1.3.1", passed=True)
    assert workspace.passed() == {"1.3.1"}
    broken = list(workspace.root.glob(".kurs_progress.json.broken-*"))
    assert len(broken) == 1 and broken[0].read_text(encoding="utf-8") == "{ обрыв записи"


def test_progress_write_is_atomic(tmp_path, monkeypatch):
    """Сбой посреди записи оставляет прежний файл прогресса целым."""
    from kurs.exercises import workspace as ws_module

    workspace = ws_module.Workspace(tmp_path / "ws")
    workspace.record("1.3.1", passed=True)
    before = workspace.progress_path.read_text(encoding="utf-8")

    def crash(src, dst):
        raise OSError("диск отключился")

    monkeypatch.setattr(ws_module.os, "replace", crash)
    with pytest.raises(KursError, match="Прежний файл прогресса не тронут"):
        workspace.record("1.3.2", passed=True)
    assert workspace.progress_path.read_text(encoding="utf-8") == before
    assert [p.name for p in workspace.root.iterdir()] == [".kurs_progress.json"]


@pytest.mark.parametrize(
    ("mode", "banner"), [("events", "по событиям"), ("poll", "опрашиваю файлы")]
)
def test_watch_rechecks_on_save(tmp_path, mode, banner):
    import signal
    import time

    assert kurs("exercises", "start", "1.3", cwd=tmp_path).returncode == 0
    exercise = find("1.3.1")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "KURS_WATCH": mode, "PYTHONFAULTHANDLER": "1"}
    proc = subprocess.Popen(
        [PYTHON, "-m", "kurs", "check", "1.3.1", "--watch"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        preexec_fn=like_a_terminal,
    )
    lines = []
    try:
        deadline = time.monotonic() + 600  # страховка от зависания, не замер скорости
        saved = False
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "Слежу за файлами" in line and not saved:
                time.sleep(0.1)
                mine = tmp_path / "kurs_praktika" / "1.3" / exercise.file
                mine.write_text(
                    exercise.solution_path.read_text(encoding="utf-8"), encoding="utf-8"
                )
                saved = True
            if saved and "✓ 1.3.1" in line:
                break
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            # faulthandler (PYTHONFAULTHANDLER) по SIGABRT печатает стеки всех потоков.
            proc.send_signal(signal.SIGABRT)
            rest = proc.communicate(timeout=60)[0]
            pytest.fail(
                "kurs check --watch не завершился за 120 с после Ctrl+C:\n"
                + "".join(lines)[-3000:]
                + rest[-6000:]
            )
        assert code == 0
    finally:
        proc.kill()
    output = "".join(lines)
    assert banner in output
    assert "✗ 1.3.1" in output  # первая проверка — заготовка
    assert "изменения: 1.3.1" in output and "✓ 1.3.1" in output


def test_lesson_runs_as_a_plain_script(tmp_path):
    """Урок — обычный сценарий Python: python путь/к/уроку.py --quick --out папка."""
    from kurs.catalog import find_lesson

    env = {k: v for k, v in os.environ.items() if not k.startswith("KURS_")}
    env.update(MPLBACKEND="Agg", TQDM_DISABLE="1")
    lesson = find_lesson("autograd")
    result = subprocess.run(
        [PYTHON, str(lesson.path), "--quick", "--device", "cpu", "--out", "res"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "Устройство: cpu" in result.stdout
    # Как у kurs run: папка результатов / имя урока.
    assert (tmp_path / "res" / "autograd" / "autograd_graph.png").is_file()


def test_plain_script_saves_where_kurs_run_does(tmp_path):
    """Без --out урок-сценарий пишет в kurs_output/<имя урока>/, как kurs run 1.3."""
    from kurs.catalog import find_lesson

    env = {k: v for k, v in os.environ.items() if not k.startswith("KURS_")}
    env.update(MPLBACKEND="Agg", TQDM_DISABLE="1")
    lesson = find_lesson("autograd")
    result = subprocess.run(
        [PYTHON, str(lesson.path), "--quick", "--device", "cpu"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    figure = tmp_path / "kurs_output" / "autograd" / "autograd_graph.png"
    assert figure.is_file()
    assert f"Рисунок сохранён: {figure.relative_to(tmp_path)}" in result.stdout


def test_unwritable_workspace_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("не папка")
    assert main(["hint", "1.3.1", "--workspace", str(blocker / "ws")]) == 2
    assert main(["exercises", "start", "1.3", "--workspace", str(blocker / "ws")]) == 2
    err = capsys.readouterr().err
    assert "Не удаётся" in err and "--workspace" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "phrase"),
    [(["--device", "tpu"], "Неизвестное устройство «tpu»"), (["--out", "/proc/нельзя"], "--out")],
)
def test_plain_script_bad_input_is_one_sentence(tmp_path, args, phrase):
    from kurs.catalog import find_lesson

    env = {k: v for k, v in os.environ.items() if not k.startswith("KURS_")}
    env.update(MPLBACKEND="Agg", TQDM_DISABLE="1")
    result = subprocess.run(
        [PYTHON, str(find_lesson("1.6").path), "--quick", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    assert result.returncode == 2
    assert phrase in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- команды без torch

LIGHT_COMMANDS = [
    ["--help"],
    [],
    ["list"],
    ["exercises"],
    ["exercises", "start", "1.3"],
    ["hint", "1.3.1"],
    ["solution", "1.3.1"],
    ["reset", "1.3.1", "--yes"],
    ["run", "linear-regresion"],  # опечатка: ответ без запуска урока
    ["check", "9.9.9"],
]

PROBE = """
import runpy, sys
sys.argv = ["kurs", *sys.argv[1:]]
try:
    runpy.run_module("kurs", run_name="__main__")
except SystemExit:
    pass
print("torch импортирован" if "torch" in sys.modules else "torch не нужен", file=sys.stderr)
"""


@pytest.mark.parametrize("command", LIGHT_COMMANDS, ids=lambda c: " ".join(c) or "без-аргументов")
def test_light_commands_do_not_import_torch(tmp_path, command):
    """import torch — секунды; списку, подсказке и эталону он не нужен (замер — bench/cli.py)."""
    workspace = tmp_path / "ws"
    workspace.mkdir()
    progress = {"version": 2, "exercises": {"1.3.1": {"passed": True, "first_passed": "x"}}}
    (workspace / ".kurs_progress.json").write_text(json.dumps(progress), encoding="utf-8")
    env = {**os.environ, "KURS_WORKSPACE": str(workspace)}
    result = subprocess.run(
        [PYTHON, "-c", PROBE, *command],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.rstrip().endswith("torch не нужен"), result.stderr


def test_single_check_in_a_fresh_process(tmp_path):
    """`kurs check 1.3.1` в новом процессе (без прогрева torch) проверяет по-настоящему."""
    assert kurs("exercises", "start", "1.3", cwd=tmp_path).returncode == 0
    exercise = find("1.3.1")
    mine = tmp_path / "kurs_praktika" / "1.3" / exercise.file
    mine.write_text(exercise.solution_path.read_text(encoding="utf-8"), encoding="utf-8")
    result = kurs("check", "1.3.1", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ 1.3.1" in result.stdout


# ---------------------------------------------------------------- «возможно, вы имели в виду»


@pytest.mark.parametrize(
    ("args", "phrases"),
    [
        (["run", "linear-regresion"], ["Возможно, вы имели в виду 1.6 (linear-regression)?"]),
        (["run", "tensrs"], ["1.1 (tensors)"]),
        (["notebook", "autogard"], ["1.3 (autograd)"]),
        (["run", "1.42"], ["В разделе 1 есть уроки", "1.6 linear-regression", "1.9 save-load"]),
        (["run", "xyzzy"], ["Есть уроки 1.1 tensors", "1.3 autograd"]),
        (["check", "autogrd"], ["Возможно, вы имели в виду 1.3 (autograd)?"]),
        (["check", "1.3.9"], ["у урока 1.3 упражнения 1.3.1–1.3.4"]),
        (["hint", "9.9.9"], ["Упражнения есть у уроков 1.1 tensors"]),
    ],
)
def test_mistyped_names_get_a_suggestion(args, phrases, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    for phrase in phrases:
        assert phrase in err, err


def test_exercise_commands_accept_lesson_names(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["exercises", "start", "autograd"]) == 0
    assert (tmp_path / "kurs_praktika" / "1.3" / find("1.3.1").file).is_file()
    assert main(["hint", "autograd"]) == 2
    assert "Укажите одно упражнение, например 1.3.1" in capsys.readouterr().err


# ---------------------------------------------------------------- --device cuda


@pytest.mark.parametrize(
    ("cuda_version", "phrase", "not_phrase"),
    [
        ("12.8", "видеокарта не найдена: PyTorch собран с CUDA 12.8", "установите сборку"),
        (None, "собран без поддержки CUDA", "видеокарта не найдена"),
    ],
)
def test_cuda_refusal_says_why(monkeypatch, capsys, cuda_version, phrase, not_phrase):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.version, "cuda", cuda_version)
    monkeypatch.setattr(torch.version, "hip", None, raising=False)
    assert main(["run", "1.6", "--device", "cuda"]) == 2
    err = capsys.readouterr().err
    assert phrase in err and not_phrase not in err and "--device cpu" in err


# ---------------------------------------------------------------- --watch: одно сохранение — одна проверка


def test_watcher_waits_for_the_write_to_finish(tmp_path):
    """`cp` обрезает файл и пишет его заново: пока запись идёт, проверять рано."""
    from kurs.exercises.commands import Watcher

    path = tmp_path / "ex.py"
    path.write_text("заготовка\n", encoding="utf-8")
    writes = iter(["def f():\n", "def f():\n    return 1\n"])

    def slow_writer(seconds):  # «пока мы ждали», cp дописал файл
        chunk = next(writes, None)
        if chunk is not None:
            path.write_text(chunk, encoding="utf-8")

    watcher = Watcher({"1.1.1": path}, sleep=slow_writer)
    assert watcher.changed() == []
    path.write_text("", encoding="utf-8")  # cp начал: файл обрезан
    assert watcher.changed() == ["1.1.1"]  # одна проверка — уже дописанного файла
    assert watcher.contents["1.1.1"] == Watcher({"x": path}).contents["x"]
    assert path.read_text(encoding="utf-8") == "def f():\n    return 1\n"
    assert watcher.changed() == []


def test_watcher_ignores_touch_and_same_content(tmp_path):
    from kurs.exercises.commands import Watcher

    path = tmp_path / "ex.py"
    path.write_text("print(1)\n", encoding="utf-8")
    watcher = Watcher({"1.1.1": path}, sleep=lambda seconds: None)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert watcher.changed() == []
    path.write_text("print(1)\n", encoding="utf-8")
    assert watcher.changed() == []
    path.write_text("print(2)\n", encoding="utf-8")
    assert watcher.changed() == ["1.1.1"]


def test_watch_checks_once_per_save(tmp_path):
    """Настоящий --watch: touch и сохранение того же текста новых проверок не вызывают."""
    import signal
    import time

    assert kurs("exercises", "start", "1.3", cwd=tmp_path).returncode == 0
    exercise = find("1.3.1")
    mine = tmp_path / "kurs_praktika" / "1.3" / exercise.file
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "KURS_WATCH": "poll"}
    proc = subprocess.Popen(
        [PYTHON, "-m", "kurs", "check", "1.3.1", "--watch"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        preexec_fn=like_a_terminal,
    )
    lines = []

    def read_until(marker):
        while True:
            line = proc.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
            if marker in line:
                return

    try:
        read_until("Слежу за файлами")
        solution = exercise.solution_path.read_text(encoding="utf-8")
        mine.write_text(solution, encoding="utf-8")
        read_until("✓ 1.3.1")
        # Ничего нового: тот же текст и «touch».
        mine.write_text(solution, encoding="utf-8")
        stat = mine.stat()
        os.utime(mine, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        # Даём наблюдателю время заметить touch (на занятой машине он может и не успеть —
        # тогда тест лишь менее строг, но не ложно красный).
        time.sleep(3)
        # Настоящее изменение — снова заготовка.
        mine.write_text(exercise.stub_path.read_text(encoding="utf-8"), encoding="utf-8")
        read_until("Решено 0 из 1")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=300) == 0
    finally:
        proc.kill()
    output = "".join(lines)
    assert output.count("изменения: 1.3.1") == 2, output


def test_closed_pipe_is_not_an_error(tmp_path):
    """«kurs list | head -1»: читатель ушёл — без английской трассировки BrokenPipeError."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # читателя уже нет: первая же запись получит EPIPE
    try:
        result = subprocess.run(
            [PYTHON, "-m", "kurs", "list"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "MPLBACKEND": "Agg"},
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
