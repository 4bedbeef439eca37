import os

# Рисунки — только в файлы, без окон; индикаторы прогресса не засоряют вывод тестов.
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TQDM_DISABLE", "1")

import pytest  # noqa: E402

from kurs.catalog import find_lesson  # noqa: E402
from kurs.runner import run_lesson  # noqa: E402


@pytest.fixture
def run_quick(tmp_path, monkeypatch):
    """Запускает урок в быстром режиме на CPU; результаты — во временной папке."""
    monkeypatch.chdir(tmp_path)

    def run(key: str):
        return run_lesson(find_lesson(key), quick=True, device="cpu", out_root=tmp_path / "out")

    return run
