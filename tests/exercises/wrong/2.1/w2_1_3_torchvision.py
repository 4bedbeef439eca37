from torchvision.utils import make_grid as grid_of


def make_grid(images, nrow=8, padding=2):
    return grid_of(images, nrow=nrow, padding=padding)
