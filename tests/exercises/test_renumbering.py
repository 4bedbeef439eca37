"""Второе издание раздела 1 перенумеровало уроки 1.6–1.9: работа ученика переезжает цела."""

import json

from kurs.exercises.registry import find
from kurs.exercises.workspace import Workspace


def test_version_1_progress_and_files_move_to_new_numbers(tmp_path, capsys):
    root = tmp_path / "kurs_praktika"
    # Старые номера: 1.6 — сохранение, 1.7 — линейная регрессия.
    (root / "1.6").mkdir(parents=True)
    (root / "1.6" / "ex1_save_checkpoint.py").write_text("# моё решение\n", encoding="utf-8")
    (root / "1.7").mkdir()
    (root / "1.7" / "ex1_least_squares.py").write_text("# моё МНК\n", encoding="utf-8")
    old = {
        "version": 1,
        "exercises": {"1.6.1": {"passed": True, "first_passed": "x"}, "1.7.1": {"passed": False}},
        "hints": {"1.7.1": 2},
    }
    (root / ".kurs_progress.json").write_text(json.dumps(old), encoding="utf-8")

    workspace = Workspace(root)
    data = workspace.load_progress()

    assert data["version"] == 2
    assert data["exercises"]["1.9.1"]["passed"] is True
    assert data["exercises"]["1.6.1"]["passed"] is False
    assert data["hints"] == {"1.6.1": 2}
    assert workspace.path_for(find("1.9.1")).read_text(encoding="utf-8") == "# моё решение\n"
    assert workspace.path_for(find("1.6.1")).read_text(encoding="utf-8") == "# моё МНК\n"
    assert "новые номера" in capsys.readouterr().out
    # Второй раз ничего не переносится и ничего не теряется.
    assert Workspace(root).load_progress() == data


def test_migration_never_overwrites_a_file_at_the_new_place(tmp_path):
    root = tmp_path / "ws"
    (root / "1.6").mkdir(parents=True)
    (root / "1.6" / "ex1_save_checkpoint.py").write_text("старое", encoding="utf-8")
    (root / "1.9").mkdir()
    (root / "1.9" / "ex1_save_checkpoint.py").write_text("новое", encoding="utf-8")
    Workspace(root).load_progress()
    assert (root / "1.9" / "ex1_save_checkpoint.py").read_text(encoding="utf-8") == "новое"
    assert (root / "1.6" / "ex1_save_checkpoint.py").read_text(encoding="utf-8") == "старое"
