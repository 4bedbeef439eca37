def final_states(output, lengths):
    return output[:, -1]
