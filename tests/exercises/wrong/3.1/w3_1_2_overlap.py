def tbptt_batches(data, batch_size, seq_len):
    length = len(data) // batch_size
    streams = data[: length * batch_size].view(batch_size, length)
    return [
        (streams[:, p : p + seq_len], streams[:, p + 1 : p + seq_len + 1])
        for p in range(0, length - seq_len)
    ]
