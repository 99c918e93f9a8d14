"""A picture on the square network canvas (spec 1.3), as inference, training and evaluation
all do it: the ImageNet normalisation, the fit-resize size (round half up) and the centre
padding (left and top get the larger half of an odd pad). The C engine's twin is
src/matting/preprocess.c."""

# The normalisation of the ImageNet-trained backbones, per RGB channel: (x/255 - mean) / std.
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def fit_size(height, width, canvas):
    """(height, width) after the fit-resize into a canvas x canvas square (spec 1.3 step 1)."""
    if height == canvas and width == canvas:
        return height, width
    s = min(canvas / width, canvas / height)
    return int(height * s + 0.5), int(width * s + 0.5)


def pad_amounts(height, width, canvas):
    """(left, top, right, bottom) padding of a height x width picture to the canvas."""
    pad_h = max(canvas - height, 0)
    pad_w = max(canvas - width, 0)
    left = int(pad_w / 2 + 0.5)
    top = int(pad_h / 2 + 0.5)
    return left, top, pad_w - left, pad_h - top
