from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def read_scalars(logdir, tag):
    accumulator = EventAccumulator(str(logdir), size_guidance={"scalars": 0})
    accumulator.Reload()
    if tag not in accumulator.Tags()["scalars"]:
        return []
    return list(accumulator.Scalars(tag))
