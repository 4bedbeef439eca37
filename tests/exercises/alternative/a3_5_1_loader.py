"""Без EventAccumulator: сами обходим все файлы событий и сортируем точки по шагу."""

from pathlib import Path

from tensorboard.backend.event_processing.event_file_loader import LegacyEventFileLoader


def read_scalars(logdir, tag):
    points = []
    for path in Path(logdir).glob("events.out.tfevents.*"):
        for event in LegacyEventFileLoader(str(path)).Load():
            for value in event.summary.value:
                if value.tag == tag:
                    points.append((int(event.step), float(value.simple_value)))
    return sorted(points)
