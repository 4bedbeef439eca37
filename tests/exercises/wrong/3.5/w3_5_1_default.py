from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def read_scalars(logdir, tag):
    accumulator = EventAccumulator(str(logdir))
    accumulator.Reload()
    if tag not in accumulator.Tags()["scalars"]:
        return []
    return [(event.step, event.value) for event in accumulator.Scalars(tag)]
