from pathlib import Path

from tensorboard.backend.event_processing.event_file_loader import LegacyEventFileLoader


def read_scalars(logdir, tag):
    first = sorted(Path(logdir).glob("events.out.tfevents.*"))[0]
    points = []
    for event in LegacyEventFileLoader(str(first)).Load():
        for value in event.summary.value:
            if value.tag == tag:
                points.append((event.step, value.simple_value))
    return points
