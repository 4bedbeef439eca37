"""Бенчмарк раздела 3: языковые модели уроков 3.1 и 3.2 на разных текстах.

Запуск: .venv/bin/python bench/section3.py [--repeat 3] [--device cpu] [--quick]
                                           [--corpora course fortunes]
Для каждого текста урок 3.1 (LSTM) и урок 3.2 (GPT) запускаются --repeat раз, каждый раз
в новом процессе — как ``kurs run 3.1 --text …``: время «kurs run» — полная стена процесса
с запуском Python и импортом torch. Печатается таблица медиан: бит на символ на
валидационной части (униграммы, биграммы, LSTM урока 3.1, GPT урока 3.2 и LSTM, которую
урок 3.2 учит столько же секунд, сколько GPT), доля настоящих слов в образцах при T = 0,5,
время обучения GPT и стена обоих уроков (в скобках — процессорное время процесса: на
занятой машине оно ближе к стене свободной). Текст fortunes-ru пропускается, если пакета нет.

Другие уроки раздела добавляют свои таблицы своими функциями в BENCHES внизу файла.
Это замер, а не тест: на занятой машине времена гуляют, смотрите на медианы.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

TARGET = 0.5  # на столько бит на символ обе модели должны обогнать биграммы (полный режим)

# Что забрать из глобальных переменных урока.
FIELDS = {
    "3.1": ("unigram_bpc", "bigram_bpc", "val_bpc", "bits_below_bigram", "word_shares"),
    "3.2": (
        "bigram_bpc",
        "val_bpc",
        "bits_below_bigram",
        "lstm_val_bpc",
        "gpt_seconds",
        "lstm_seconds",
        "word_shares",
    ),
}


def _child(number: str, corpus: str, device: str, quick: bool, out: str) -> None:
    """Запуск урока в этом (новом) процессе; результат — одна строка JSON в stdout."""
    import contextlib

    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("TQDM_DISABLE", "1")
    from kurs.catalog import find_lesson
    from kurs.runner import run_lesson

    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        run = run_lesson(find_lesson(number), quick=quick, device=device, out_root=out, text=corpus)
    result = {name: run.namespace[name] for name in FIELDS[number]}
    result["lesson_seconds"] = run.seconds
    print(json.dumps(result))


def _run(number: str, corpus: str, args: argparse.Namespace, out: str) -> dict:
    command = [sys.executable, __file__, "--child", number, corpus, "--device", args.device]
    return _timed(command + ["--out", out] + (["--quick"] if args.quick else []))


def _timed(command: list[str]) -> dict:
    """Запускает процесс; его последняя строка — JSON. Добавляет стену и время CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Процессорное время меньше зависит от соседних программ, чем стена.
    result["cpu"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return result


def _median(runs: list[dict], key: str, inner: str | None = None) -> float:
    return statistics.median(run[key][inner] if inner else run[key] for run in runs)


def language_models(args: argparse.Namespace) -> bool:
    from kurs.corpus import fortunes_available

    corpora = [c for c in args.corpora if c != "fortunes" or fortunes_available()]
    skipped = sorted(set(args.corpora) - set(corpora))
    mode = "быстрый режим" if args.quick else "полный режим"
    print(f"Языковые модели, {mode}, медианы {args.repeat} запусков; бит на символ —")
    print("на валидационной части; слова — доля настоящих слов в образце при T = 0,5.")
    print(
        "\n| текст | униграммы | биграммы | LSTM 3.1 | GPT 3.2 | LSTM за время GPT "
        "| слова LSTM | слова GPT | обучение GPT, с | kurs run 3.1, с (CPU) "
        "| kurs run 3.2, с (CPU) "
        f"| обе ≥ {TARGET} лучше биграмм |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    ok = True
    with tempfile.TemporaryDirectory() as out:
        for corpus in corpora:
            runs = {number: [] for number in FIELDS}
            for _ in range(args.repeat):
                for number in FIELDS:
                    runs[number].append(_run(number, corpus, args, out))
            lstm, gpt = runs["3.1"], runs["3.2"]
            margins = (_median(lstm, "bits_below_bigram"), _median(gpt, "bits_below_bigram"))
            passed = all(margin >= TARGET for margin in margins)
            ok &= passed or args.quick
            print(
                f"| {corpus} | {_median(lstm, 'unigram_bpc'):.3f} | {_median(lstm, 'bigram_bpc'):.3f} "
                f"| {_median(lstm, 'val_bpc'):.3f} | {_median(gpt, 'val_bpc'):.3f} "
                f"| {_median(gpt, 'lstm_val_bpc'):.3f} "
                f"| {_median(lstm, 'word_shares', 'T=0.5'):.0%} "
                f"| {_median(gpt, 'word_shares', 'T=0.5'):.0%} "
                f"| {_median(gpt, 'gpt_seconds'):.1f} "
                f"| {_median(lstm, 'wall'):.1f} ({_median(lstm, 'cpu'):.1f}) "
                f"| {_median(gpt, 'wall'):.1f} ({_median(gpt, 'cpu'):.1f}) "
                f"| {'✓' if passed else '✗'} |",
                flush=True,
            )
    for corpus in skipped:
        print(
            f"\n{corpus}: пропущен — пакет fortunes-ru не установлен (sudo apt install fortunes-ru)."
        )
    return ok


# Уроки 3.3 (VAE) и 3.4 (GAN): что забрать из глобальных переменных урока.
GENERATIVE_CHILD = """
import contextlib, json, os, sys
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TQDM_DISABLE", "1")
from kurs.catalog import find_lesson
from kurs.runner import run_lesson
number, dataset, device, quick, out = sys.argv[1:6]
with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
    run = run_lesson(find_lesson(number), quick=quick == "1", device=device, out_root=out,
                     dataset=dataset)
ns = run.namespace
if number == "3.3":
    result = {"elbo": ns["test_elbo"], "untrained": ns["untrained"]["elbo"],
              "pixels": ns["pixel_baseline"], "log_px": ns["importance_log_px"],
              "elbo_2d": ns["map_test_elbo"], "knn": ns["knn_accuracy"]}
else:
    gan, real = ns["gan_quality"], ns["real_quality"]
    result = {"judge": ns["judge_accuracy"], "real_share": real["confident_share"],
              "share": gan["confident_share"], "classes": gan["classes"],
              "effective": gan["effective_classes"], "nearest": gan["nearest_real"],
              "real_nearest": real["nearest_real"],
              "strong_d_fake": ns["strong_d_fake"],
              "collapse_effective": ns["collapse_quality"]["effective_classes"]}
result["lesson_seconds"] = run.seconds
print(json.dumps(result))
"""
VAE_TARGET = -125.0  # ELBO на тестовой части, нат (полный режим, MNIST из 5000 цифр)
GAN_TARGET = (0.3, 8)  # доля уверенных картинок и число представленных цифр (там же)


def _run_generative(number: str, dataset: str, args: argparse.Namespace, out: str) -> dict:
    command = [sys.executable, "-c", GENERATIVE_CHILD, number, dataset, args.device]
    return _timed(command + ["1" if args.quick else "0", out])


def generative_models(args: argparse.Namespace) -> bool:
    """Уроки 3.3 и 3.4 на встроенных цифрах и, если есть пакет Debian, на Fashion-MNIST."""
    from kurs.data import DEBIAN_FASHION_MNIST

    datasets = ["mnist"]
    if (DEBIAN_FASHION_MNIST / "train-images-idx3-ubyte.gz").is_file():
        datasets.append("fashion-mnist")
    mode = "быстрый режим" if args.quick else "полный режим"
    print(f"\nVAE (урок 3.3), {mode}, медианы {args.repeat} запусков; ELBO и ln p(x) — нат")
    print("на картинку на тестовой части, чем выше, тем лучше; kNN — доля верных ответов")
    print("по 5 соседям в двумерном коде.")
    print(
        "\n| набор | необученный | без кода | ELBO, код 16 | ln p(x) | ELBO, код 2 | kNN "
        f"| kurs run 3.3, с (CPU) | ELBO ≥ {VAE_TARGET:g} |"
    )
    print("|---|---|---|---|---|---|---|---|---|", flush=True)
    ok = True
    with tempfile.TemporaryDirectory() as out:
        gan_rows = []
        for dataset in datasets:
            vae = [_run_generative("3.3", dataset, args, out) for _ in range(args.repeat)]
            passed = _median(vae, "elbo") >= VAE_TARGET
            if dataset == "mnist":
                ok &= passed or args.quick
            print(
                f"| {dataset} | {_median(vae, 'untrained'):.1f} | {_median(vae, 'pixels'):.1f} "
                f"| {_median(vae, 'elbo'):.1f} | {_median(vae, 'log_px'):.1f} "
                f"| {_median(vae, 'elbo_2d'):.1f} | {_median(vae, 'knn'):.3f} "
                f"| {_median(vae, 'wall'):.1f} ({_median(vae, 'cpu'):.1f}) "
                f"| {'✓' if passed else '✗'}{'' if dataset == 'mnist' else ' (цель — для mnist)'} |",
                flush=True,
            )
            gan_rows.append(
                (dataset, [_run_generative("3.4", dataset, args, out) for _ in range(args.repeat)])
            )
    share_target, classes_target = GAN_TARGET
    print(f"\nGAN (урок 3.4), {mode}, медианы {args.repeat} запусков; картинки оценивает")
    print("классификатор урока: «уверенных» — доля картинок с вероятностью класса ≥ 0.9,")
    print("«классов» — цифр, к которым уверенно отнесено ≥ 0.5 % картинок; «до настоящих» —")
    print("среднее расстояние до ближайшей картинки обучающей части (у настоящих — в скобках).")
    print(
        "\n| набор | классификатор | уверенных: настоящие | уверенных: GAN | классов "
        "| эффективно классов | до настоящих | D(G(z)) у сильного D "
        "| классов после схлопывания | kurs run 3.4, с (CPU) "
        f"| ≥ {share_target:.0%} и ≥ {classes_target} классов |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for dataset, gan in gan_rows:
        passed = _median(gan, "share") >= share_target and _median(gan, "classes") >= classes_target
        if dataset == "mnist":
            ok &= passed or args.quick
        print(
            f"| {dataset} | {_median(gan, 'judge'):.3f} | {_median(gan, 'real_share'):.0%} "
            f"| {_median(gan, 'share'):.0%} | {_median(gan, 'classes'):.0f} "
            f"| {_median(gan, 'effective'):.1f} "
            f"| {_median(gan, 'nearest'):.1f} ({_median(gan, 'real_nearest'):.1f}) "
            f"| {_median(gan, 'strong_d_fake'):.1e} | {_median(gan, 'collapse_effective'):.1f} "
            f"| {_median(gan, 'wall'):.1f} ({_median(gan, 'cpu'):.1f}) "
            f"| {'✓' if passed else '✗'}{'' if dataset == 'mnist' else ' (цель — для mnist)'} |",
            flush=True,
        )
    return ok


BENCHES = [language_models, generative_models]


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        parser = argparse.ArgumentParser()
        parser.add_argument("--child", nargs=2, metavar=("УРОК", "ТЕКСТ"))
        parser.add_argument("--device", default="cpu")
        parser.add_argument("--out", required=True)
        parser.add_argument("--quick", action="store_true")
        args = parser.parse_args()
        _child(*args.child, args.device, args.quick, args.out)
        return 0
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--quick", action="store_true", help="быстрый режим вместо полного")
    parser.add_argument("--corpora", nargs="+", default=["course", "fortunes"])
    args = parser.parse_args()
    results = [bench(args) for bench in BENCHES]
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
