from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def read_scalars(logdir, tag):
    accumulator = EventAccumulator(str(logdir), size_guidance={"scalars": 0})
    accumulator.Reload()
    return [(event.step, event.value) for event in accumulator.Scalars(tag)]
