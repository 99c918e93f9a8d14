"""Choose a model's matte levels (refine.levels: black and white points) on training pairs.

    levels.py --skychange build/skychange --model M [--write OUT]

The refiner's sigmoid never reaches 0 or 1, so ground keeps a faint alpha and sky a faint
trace of the old sky. Mapping [black, white] onto [0, 1] removes both. This runs the C tool
on every --every'th pair of sky-matting/train (never on val) with the model's levels taken
out, and picks the pair that gives the lowest pooled MAE among those whose stretch
1 / (white - black) is at most 1 / --min-span, so soft edges keep most of their gradation.
The sweep applies the levels to the matte at the picture size; the engine applies them on the
refine canvas before resizing, which differs only where the matte changes within a pixel.
"""
import argparse
import os
import sys
import tempfile

import cv2
import numpy as np

from tools.eval import eval as ev
from tools.reference import safetensors_io


def sweep(preds, truths, min_span, step=0.01):
    """[(mae, band_mae, black, white)] for every grid pair with white - black >= min_span."""
    bands = [ev.boundary_band(t) for t in truths]
    out = []
    for black in np.arange(0.0, 1.0 - min_span + 1e-9, step):
        for white in np.arange(black + min_span, 1.0 + 1e-9, step):
            err = band = band_n = n = 0.0
            for p, t, b in zip(preds, truths, bands):
                e = np.abs(np.clip((p - black) / (white - black), 0, 1) - t)
                err += e.sum()
                n += e.size
                band += e[b].sum()
                band_n += b.sum()
            out.append((err / n, band / max(band_n, 1), round(black, 4), round(white, 4)))
    return sorted(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skychange", metavar="BINARY", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", default=ev.DATA)
    ap.add_argument("--every", type=int, default=4, help="use every N-th training pair")
    ap.add_argument("--min-span", type=float, default=0.9,
                    help="smallest white - black allowed (largest stretch 1 / min-span)")
    ap.add_argument("--write", metavar="OUT", help="write a copy of the model with the levels")
    args = ap.parse_args()

    pairs = ev.matting_pairs(args.data, "train", args.every)
    images = [img for _, img, _ in pairs]
    truths = []
    for _, _, path in pairs:
        alpha = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        if alpha is None:
            sys.exit("levels.py: %s: cannot read alpha" % path)
        truths.append(alpha.astype(np.float32) / 255)

    cfg = safetensors_io.read_config(args.model)
    plain = dict(cfg, refine={k: v for k, v in cfg["refine"].items() if k != "levels"})
    with tempfile.TemporaryDirectory(prefix="skychange-levels-") as tmp:
        raw_model = os.path.join(tmp, "raw.safetensors")
        safetensors_io.rewrite_config(args.model, raw_model, plain)
        preds = ev.predict_cli(args.skychange, raw_model, images, 0)

    results = sweep(preds, truths, args.min_span)
    none = sweep(preds, truths, 1.0)[0]
    mae, band, black, white = results[0]
    print("training pairs: %d (every %d-th)" % (len(images), args.every))
    print("no levels      : MAE %.5f  band MAE %.5f" % none[:2])
    for r in results[:5]:
        print("black %.2f white %.2f: MAE %.5f  band MAE %.5f" % (r[2], r[3], r[0], r[1]))
    print("chosen: \"levels\": [%.2f, %.2f]" % (black, white))
    if args.write:
        plain["refine"]["levels"] = [black, white]
        safetensors_io.rewrite_config(args.model, args.write, plain)
        print("wrote %s" % args.write)


if __name__ == "__main__":
    main()
