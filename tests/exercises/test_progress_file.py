"""Файл прогресса может оказаться каким угодно — команды всё равно работают.

Ученик правит файлы руками, диск обрывает запись, синхронизация облака кладёт чужую
версию. Любое содержимое .kurs_progress.json команды exercises, check, hint и list
переживают: испорченный файл откладывается как .broken-…, ученик получает одну
русскую фразу, работа продолжается. Содержимое подбирает hypothesis.
"""

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kurs.cli import main
from kurs.exercises import commands
from kurs.exercises.registry import find, hints
from kurs.exercises.sandbox import NOT_DONE, Verdict
from kurs.exercises.workspace import PROGRESS_FILE, Workspace

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
# Правдоподобные поломки: верный каркас, но поля и записи не того вида.
progress_like = st.fixed_dictionaries(
    {},
    optional={
        "version": json_values,
        "exercises": st.dictionaries(
            st.sampled_from(["1.3.1", "1.3.2", "x"]) | st.text(max_size=5),
            json_values
            | st.fixed_dictionaries(
                {},
                optional={
                    "passed": json_values,
                    "attempts": json_values,
                    "first_passed": json_values,
                },
            ),
            max_size=3,
        )
        | json_values,
        "hints": st.dictionaries(st.sampled_from(["1.3.1", "1.3.2"]), json_values, max_size=2)
        | json_values,
    },
)
contents = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8")),
    json_values.map(lambda v: json.dumps(v).encode("utf-8")),
    progress_like.map(lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8")),
)

COMMANDS = [["exercises"], ["check", "1.3.1"], ["hint", "1.3.1"], ["list"]]


@pytest.fixture
def quick_check(monkeypatch):
    """Проверку решения подменяем мгновенной: здесь испытывается файл прогресса."""
    monkeypatch.setattr(commands, "check", lambda exercise, path: Verdict(NOT_DONE, "заготовка"))


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=contents)
def test_any_progress_file_is_survived(command, content, quick_check, capsys):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        exercise = find("1.3.1")
        (root / "1.3").mkdir(parents=True)
        (root / "1.3" / exercise.file).write_bytes(exercise.stub_path.read_bytes())
        (root / PROGRESS_FILE).write_bytes(content)

        code = main([*command, "--workspace", str(root)])

        out, err = capsys.readouterr()
        assert code in (0, 1), err
        assert "Traceback" not in err
        # После команды прогресс снова читается без жалоб и правильного вида.
        data = Workspace(root).load_progress()
        assert isinstance(data["exercises"], dict) and isinstance(data["hints"], dict)
        assert all(isinstance(entry, dict) for entry in data["exercises"].values())
        assert "повреждён" not in capsys.readouterr().err
        broken = list(root.glob(f"{PROGRESS_FILE}.broken-*"))
        if broken:
            assert broken[0].read_bytes() == content, "отложенный файл — ровно прежний"
            assert "повреждён" in err and str(broken[0]) in err


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\xfe{}", "не текст UTF-8"),
        (b"[1, 2]", "вместо словаря — список"),
        (b"null", "вместо словаря — null"),
        (b'{"version": 2, "exercises": {"1.3.1": 5}, "hints": {}}', "«1.3.1» в «exercises»"),
        (b'{"version": 2, "exercises": {}, "hints": []}', "«hints» — не словарь"),
        (b'{"version": 2, "exercises": {}, "hints": {"1.3.1": "two"}}', "«1.3.1» в «hints»"),
    ],
)
def test_broken_progress_is_named_and_set_aside(tmp_path, content, reason, capsys):
    root = tmp_path / "ws"
    root.mkdir()
    (root / PROGRESS_FILE).write_bytes(content)
    assert main(["exercises", "--workspace", str(root)]) == 0
    err = capsys.readouterr().err
    assert "Файл прогресса был повреждён" in err and reason in err
    (broken,) = root.glob(f"{PROGRESS_FILE}.broken-*")
    assert broken.read_bytes() == content


def test_good_entries_survive_a_bad_neighbour(tmp_path, capsys):
    root = tmp_path / "ws"
    root.mkdir()
    progress = {
        "version": 2,
        "exercises": {"1.3.1": {"passed": True, "first_passed": "вчера"}, "1.3.2": "да"},
        "hints": {"1.3.1": 2, "1.3.2": None},
    }
    (root / PROGRESS_FILE).write_text(json.dumps(progress), encoding="utf-8")
    workspace = Workspace(root)
    data = workspace.load_progress()
    assert data["exercises"] == {"1.3.1": {"passed": True, "first_passed": "вчера"}}
    assert data["hints"] == {"1.3.1": 2}
    assert "сохранено записей: 2" in capsys.readouterr().err
    assert workspace.ever_passed() == {"1.3.1"}


def test_two_breakages_in_one_second_keep_both_copies(tmp_path, capsys):
    workspace = Workspace(tmp_path / "ws")
    workspace.root.mkdir()
    for content in (b"[1]", b"[2]"):
        workspace.progress_path.write_bytes(content)
        workspace.load_progress()
    kept = sorted(p.read_bytes() for p in workspace.root.glob(f"{PROGRESS_FILE}.broken-*"))
    assert kept == [b"[1]", b"[2]"]


def test_hint_counter_stops_at_the_last_hint(tmp_path, capsys):
    root = tmp_path / "ws"
    count = len(hints()["1.3.2"])
    for _ in range(count + 3):
        assert main(["hint", "1.3.2", "--workspace", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"Подсказка {count} из {count}" in out and f"Подсказка {count + 1}" not in out
    assert Workspace(root).load_progress()["hints"]["1.3.2"] == count
