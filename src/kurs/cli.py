"""Команда ``kurs``: оглавление курса, запуск уроков, упражнения."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from pathlib import Path

from kurs.catalog import LESSONS, SECTIONS, select_lessons
from kurs.errors import KursError
from kurs.helpers import DATASET_CHOICES, DEFAULT_DATASET, DEFAULT_OUT, DEVICE_CHOICES

INTRO = """\
Изучаем PyTorch — практический курс PyTorch на русском языке.

Команды:
  kurs list                       оглавление: уроки, время запуска, упражнения
  kurs run 1.6                    запустить урок (номер, имя вроде linear-regression или all)
  kurs run all --quick            все уроки в быстром режиме
  kurs run 1.6 --device cuda      на видеокарте (по умолчанию auto: cuda, mps или cpu)
  kurs run 1.6 --out папка        куда сохранять рисунки и чекпойнты
  kurs notebook 1.6               сделать из урока блокнот Jupyter (папка kurs_notebooks)
  kurs site                       собрать сайт курса в папку site (нужен клон репозитория)

Упражнения (проверяются автоматически):
  kurs exercises                  список упражнений и что уже решено
  kurs exercises start 1.3        скопировать заготовки урока 1.3 в папку kurs_praktika
  kurs check 1.3                  проверить решения (одно: kurs check 1.3.2; --watch — при сохранении)
  kurs hint 1.3.2                 следующая подсказка
  kurs reset 1.3.2                вернуть заготовку (спросит и сохранит копию вашей версии)
  kurs solution 1.3.2             эталонное решение — после того как ваше прошло проверку

Подробнее о любой команде: kurs КОМАНДА --help
"""

# argparse пишет свои сообщения по-английски; переводим те, что видит ученик.
_ARGPARSE_RU = {
    "usage: ": "использование: ",
    "options": "параметры",
    "positional arguments": "аргументы",
    "show this help message and exit": "показать эту справку и выйти",
    "the following arguments are required: %s": "не хватает аргументов: %s",
    "unrecognized arguments: %s": "непонятные аргументы: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "недопустимое значение %(value)r (можно: %(choices)s)",
    "expected one argument": "нужно указать значение",
    "argument %(argument_name)s: %(message)s": "аргумент %(argument_name)s: %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "неоднозначный параметр %(option)s: подходит %(matches)s",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"Ошибка: {message}.\nСправка: {self.prog} --help\n")


def _unrecognized(parser: argparse.ArgumentParser, extra: list[str]) -> str:
    """«непонятные аргументы: --quik (возможно, вы имели в виду --quick)»."""
    import difflib

    options = set(parser._option_string_actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                options.update(sub._option_string_actions)
    message = f"непонятные аргументы: {' '.join(extra)}"
    guesses = [
        guess
        for word in extra
        if word.startswith("--")
        for guess in difflib.get_close_matches(word.split("=")[0], sorted(options), n=1)
    ]
    if guesses:
        message += f" (возможно, вы имели в виду {', '.join(guesses)})"
    return message


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kurs", description="Изучаем PyTorch — курс на русском языке.")
    sub = parser.add_subparsers(dest="command", metavar="КОМАНДА", parser_class=_Parser)

    listing = sub.add_parser("list", help="оглавление курса и решённые упражнения")
    listing.add_argument("--workspace", default=None, help="рабочая папка с решениями")

    run = sub.add_parser("run", help="запустить урок")
    run.add_argument(
        "lesson", metavar="УРОК", help="номер (1.6), имя (linear-regression), раздел (1) или all"
    )
    run.add_argument("--quick", action="store_true", help="быстрый режим: меньше эпох и данных")
    run.add_argument(
        "--device", default="auto", choices=DEVICE_CHOICES, help="устройство (по умолчанию auto)"
    )
    run.add_argument(
        "--out",
        default=DEFAULT_OUT,
        help=f"папка для рисунков и чекпойнтов (по умолчанию {DEFAULT_OUT})",
    )
    run.add_argument(
        "--dataset",
        default=None,
        choices=DATASET_CHOICES,
        help=f"набор картинок для уроков разделов 2–3 (по умолчанию {DEFAULT_DATASET})",
    )
    run.add_argument("--text", default=None, help="свой текст (UTF-8) для языковых моделей")
    run.add_argument(
        "--data", default=None, help="папка с наборами данных (по умолчанию $KURS_DATA или кэш)"
    )

    notebook = sub.add_parser("notebook", help="сделать из урока блокнот Jupyter")
    notebook.add_argument("lesson", metavar="УРОК", help="номер (1.6), имя, раздел (1) или all")
    notebook.add_argument("--out", default="kurs_notebooks", help="папка для блокнотов")
    notebook.add_argument(
        "--force", action="store_true", help="перезаписать уже созданные блокноты"
    )

    site = sub.add_parser("site", help="собрать сайт курса (уроки выполняются в быстром режиме)")
    site.add_argument("--out", default=None, help="папка для сайта (по умолчанию site/ в клоне)")
    site.add_argument(
        "--clean", action="store_true", help="собрать с нуля и выполнить все уроки заново"
    )

    def with_workspace(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--workspace",
            default=None,
            help="рабочая папка с решениями (по умолчанию kurs_praktika или $KURS_WORKSPACE)",
        )
        return p

    ex = with_workspace(sub.add_parser("exercises", help="упражнения и прогресс"))
    ex.add_argument("action", nargs="?", metavar="start", help="start — скопировать заготовки")
    ex.add_argument("target", nargs="?", metavar="УРОК", help="урок (1.3) или all")

    check = with_workspace(sub.add_parser("check", help="проверить решения"))
    check.add_argument(
        "target",
        nargs="?",
        metavar="ЦЕЛЬ",
        help="урок (1.3), упражнение (1.3.2) или all; без цели — все начатые упражнения",
    )
    check.add_argument(
        "--watch", action="store_true", help="проверять заново при каждом сохранении"
    )

    for name, text in (
        ("hint", "следующая подсказка"),
        ("reset", "вернуть чистую заготовку"),
        ("solution", "эталонное решение (после успешной проверки)"),
    ):
        command = with_workspace(sub.add_parser(name, help=text))
        command.add_argument("exercise", metavar="УПРАЖНЕНИЕ", help="номер, например 1.3.2")
        if name == "reset":
            command.add_argument("--yes", action="store_true", help="не спрашивать подтверждения")
    return parser


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
    except OSError:
        raise KursError(
            f"В папку «{folder}» нельзя записать результаты. "
            "Укажите через --out папку, куда у вас есть право записи."
        ) from None


def cmd_list(args: argparse.Namespace) -> int:
    from kurs.exercises.registry import all_exercises
    from kurs.exercises.workspace import Workspace

    passed = Workspace(args.workspace).passed()
    for number, name in SECTIONS.items():
        if not any(lesson.section == number for lesson in LESSONS):
            continue
        print(f"Раздел {number}. {name}")
        print(f"  {'№':<5} {'урок':<56} {'время':>6}  {'решено':<7} имя")
        for lesson in LESSONS:
            if lesson.section != number:
                continue
            ids = [ex.id for ex in all_exercises() if ex.lesson == lesson.number]
            done = f"{sum(i in passed for i in ids)}/{len(ids)}" if ids else "—"
            print(
                f"  {lesson.number:<5} {lesson.title:<56} {f'~{lesson.seconds} с':>6}  "
                f"{done:<7} {lesson.slug}"
            )
    print(
        "\nЗапуск урока: kurs run НОМЕР (например, kurs run 1.6); быстрый режим: --quick."
        "\nУпражнения: kurs exercises start НОМЕР, затем kurs check НОМЕР."
    )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from kurs.helpers import resolve_device

    lessons = select_lessons(args.lesson)
    resolve_device(args.device)  # cuda без видеокарты — ошибка до начала работы
    out_root = Path(args.out).expanduser()
    _check_writable(out_root)
    os.environ.setdefault("MPLBACKEND", "Agg")
    if not sys.stderr.isatty():
        # В файл или журнал полоска tqdm пишет новую строку на каждое обновление — сотни
        # строк на урок. Без терминала полосок нет: итоги эпох урок печатает сам.
        os.environ.setdefault("TQDM_DISABLE", "1")

    from kurs.runner import run_lesson

    results = []
    for lesson in lessons:
        mode = "быстрый режим" if args.quick else "полный режим"
        print(f"\n=== Урок {lesson.number}. {lesson.title} ({mode}) ===", flush=True)
        try:
            run = run_lesson(
                lesson,
                quick=args.quick,
                device=args.device,
                out_root=out_root,
                dataset=args.dataset,
                text=args.text,
                data=args.data,
            )
        except KursError:
            raise
        except Exception:
            traceback.print_exc()
            print(
                f"\nУрок {lesson.number} завершился с ошибкой (трассировка выше).", file=sys.stderr
            )
            return 1
        results.append(run)
        print(f"--- Урок {lesson.number} выполнен за {run.seconds:.1f} с", flush=True)
    if len(results) > 1:
        print("\nИтог:")
        for run in results:
            metric = "" if run.metric is None else f"   {run.lesson.metric} = {run.metric:.4f}"
            print(f"  {run.lesson.number:<5} {run.seconds:6.1f} с{metric}")
    print(f"\nРезультаты (рисунки, чекпойнты): {out_root.resolve()}")
    return 0


def cmd_notebook(args: argparse.Namespace) -> int:
    from kurs.notebook import write_notebook

    lessons = select_lessons(args.lesson)
    out = Path(args.out).expanduser()
    _check_writable(out)
    for lesson in lessons:
        target = out / f"{Path(lesson.file).stem}.ipynb"
        if target.exists() and not args.force:
            print(f"уже есть {target} (не трогаю: там могут быть ваши правки; --force перезапишет)")
            continue
        print(f"создан   {write_notebook(lesson.path, target)}")
    print("\nОткройте блокнот в Jupyter или VS Code и выполняйте ячейки по порядку.")
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from kurs import site

    return site.cmd_site(args)


def _exercise_command(name: str):
    def command(args: argparse.Namespace) -> int:
        from kurs.exercises import commands

        return getattr(commands, f"cmd_{name}")(args)

    return command


COMMANDS = {
    "list": cmd_list,
    "run": cmd_run,
    "notebook": cmd_notebook,
    "site": cmd_site,
    **{
        name: _exercise_command(name)
        for name in ("exercises", "check", "hint", "reset", "solution")
    },
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    saved_gettext = argparse._
    argparse._ = lambda text: _ARGPARSE_RU.get(text, text)
    try:
        parser = _build_parser()
        if not argv:
            print(INTRO, end="")
            return 0
        args, extra = parser.parse_known_args(argv)
        if extra:
            parser.error(_unrecognized(parser, extra))
        if args.command is None:
            print(INTRO, end="")
            return 0
        return COMMANDS[args.command](args)
    except KursError as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nПрервано.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # «kurs list | head»: читатель закрыл канал раньше времени — это не ошибка. Python
        # при выходе ещё раз попробует сбросить буфер; направляем остаток в /dev/null.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        argparse._ = saved_gettext
