import pytest

from kurs.exercises.sandbox import warm_up


@pytest.fixture(scope="session", autouse=True)
def _warm_torch():
    """Как kurs check при проверке многих упражнений: тяжёлые импорты — до ответвлений."""
    warm_up()
