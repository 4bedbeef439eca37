def conv_output_size(n, kernel_size, padding=0, stride=1):
    return n + 2 * padding - kernel_size + 1
