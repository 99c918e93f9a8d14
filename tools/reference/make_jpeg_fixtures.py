#!/usr/bin/python3
"""Writes tests/data/jpeg/: small JPEGs of the kinds cameras and editors write,
each with NAME.png, its pixels as the original decodes them (Pillow: libjpeg,
accurate integer IDCT, fancy upsampling, EXIF orientation applied, then RGB;
spec 1.2). tests/io/test_jpeg_decode.c holds the library's decode to them, bit
for bit.

Run: /usr/bin/python3 -m tools.reference.make_jpeg_fixtures [out_dir]
"""
import argparse
import os

import numpy as np
from PIL import Image, ImageOps

# name: (width, height, mode, save options)
CASES = {
    "colour_420": (61, 43, "RGB", {"quality": 85, "subsampling": 2}),
    "colour_422": (64, 48, "RGB", {"quality": 90, "subsampling": 1}),
    "colour_444": (33, 17, "RGB", {"quality": 95, "subsampling": 0}),
    "colour_progressive": (77, 35, "RGB", {"quality": 80, "progressive": True}),
    "colour_low_quality": (50, 50, "RGB", {"quality": 20}),
    "grey": (45, 29, "L", {"quality": 85}),
    "rotated_exif_6": (40, 24, "RGB", {"quality": 90, "orientation": 6}),
}


def picture(w, h, mode, seed):
    """Smooth colour ramps with edges and noise: every DCT band and the
    chroma upsampling get work."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    rgb = np.stack([255 * x / max(w - 1, 1), 255 * y / max(h - 1, 1),
                    128 + 100 * np.sin(x / 3.0 + y / 5.0)], axis=-1)
    rgb[(x // 8 + y // 8) % 2 == 0] *= 0.6
    rgb += rng.normal(0, 12, rgb.shape)
    img = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
    return img.convert("L") if mode == "L" else img


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("out_dir", nargs="?",
                    default=os.path.join(here, "..", "..", "tests", "data", "jpeg"))
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    for seed, (name, (w, h, mode, options)) in enumerate(sorted(CASES.items())):
        options = dict(options)
        orientation = options.pop("orientation", None)
        if orientation:
            exif = Image.Exif()
            exif[0x0112] = orientation
            options["exif"] = exif.tobytes()
        path = os.path.join(args.out_dir, name + ".jpg")
        picture(w, h, mode, seed).save(path, "JPEG", **options)
        decoded = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
        decoded.save(os.path.join(args.out_dir, name + ".png"))
        print(name, decoded.size)


if __name__ == "__main__":
    main()
