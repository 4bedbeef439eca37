import os

# Рисунки — только в файлы, без окон; индикаторы прогресса не засоряют вывод тестов.
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TQDM_DISABLE", "1")
# CI может идти на занятой машине. Потоки OpenMP у torch ждут друг друга, крутясь на
# процессоре, и при нехватке ядер маленькие модели замедляются в десятки раз (измерено:
# 20 шагов LSTM — 31 с с двумя потоками против 0.55 с с одним). Тестам хватает одного.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest  # noqa: E402

from kurs.catalog import find_lesson  # noqa: E402
from kurs.runner import run_lesson  # noqa: E402


@pytest.fixture(scope="session")
def quick_runs(tmp_path_factory):
    """Запуск урока в быстром режиме на CPU — один раз за сессию тестов.

    Урок выполняется во временной папке: всё, что он пишет, остаётся там.
    """
    done = {}

    def run(key: str):
        if key not in done:
            folder = tmp_path_factory.mktemp(f"lesson-{key}")
            with pytest.MonkeyPatch.context() as patch:
                patch.chdir(folder)
                done[key] = run_lesson(
                    find_lesson(key), quick=True, device="cpu", out_root=folder / "out"
                )
        return done[key]

    return run


@pytest.fixture
def fashion_run(tmp_path, monkeypatch):
    """Урок в быстром режиме на полном Fashion-MNIST из пакета Debian (нет пакета — пропуск)."""
    from kurs.data import DEBIAN_FASHION_MNIST

    if not (DEBIAN_FASHION_MNIST / "train-images-idx3-ubyte.gz").is_file():
        pytest.skip(f"нет пакета Debian dataset-fashion-mnist ({DEBIAN_FASHION_MNIST})")
    monkeypatch.chdir(tmp_path)

    def run(key: str):
        return run_lesson(
            find_lesson(key),
            quick=True,
            device="cpu",
            out_root=tmp_path / "out",
            dataset="fashion-mnist",
            data=tmp_path / "data",
        )

    return run


@pytest.fixture(scope="module")
def ns(run):
    """Глобальные переменные урока; ``run`` объявляет каждый тестовый модуль."""
    return run.namespace
