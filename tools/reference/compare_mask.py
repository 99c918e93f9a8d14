"""Compare a mask written by `skychange --mask ... -o mask.pfm` with the reference.

Usage: compare_mask.py [--tol 1e-4] [--near-tie 1e-4] --case MODEL PICTURE MASK.pfm [--case ...]
Runs the reference mask inference (float32) on PICTURE with MODEL, prints the max abs and
relative differences of the mask and the number of label pixels whose two top coarse logits
are within --near-tie (relative to the logits' RMS: there the two implementations may choose
different labels); --pool-margins also counts the refiner's near-tie max-pool windows. Exit
status 1 when the max abs difference exceeds --tol.
"""

import argparse
import os
import sys

import numpy as np
import torch

from tools.reference import infer
from tools.reference import randinit
from tools.reference import safetensors_io


def compare(model, picture_path, mask_path, tol, near_tie, save_reference=None,
            pool_margins=False):
    coarse, refine, config = safetensors_io.load_networks(model)
    picture = infer.read_picture(picture_path)
    stages = infer.infer_mask(coarse, refine, picture, config["preprocess"])
    ref = stages["mask"]
    if save_reference:
        infer.write_pfm(save_reference, ref)
    try:
        got = infer.read_pfm(mask_path)
    except (OSError, ValueError) as e:
        print("compare_mask: %s" % e)
        return False
    if got.shape != ref.shape:
        print("compare_mask: %s: shape %s, reference %s" % (mask_path, got.shape, ref.shape))
        return False
    if not np.isfinite(got).all():
        print("compare_mask: %s contains non-finite values" % mask_path)
        return False
    diff = np.abs(got.astype(np.float64) - ref.astype(np.float64))
    lu = stages["logits_up"][0].astype(np.float64)
    top = np.sort(lu, axis=0)
    near = int(((top[-1] - top[-2]) < near_tie * np.sqrt((lu * lu).mean())).sum())
    worst = np.unravel_index(np.argmax(diff), diff.shape)
    ok = diff.max() <= tol
    print("%s %s: mask %dx%d max abs diff %.3e (row %d col %d), mean %.3e, relative %.3e; "
          "pixels > 1e-3: %d; label near-ties (< %.0e x RMS): %d"
          % ("ok  " if ok else "FAIL", os.path.basename(model), ref.shape[0], ref.shape[1],
             diff.max(), worst[0], worst[1], diff.mean(),
             diff.max() / max(np.abs(ref).max(), 1e-30), int((diff > 1e-3).sum()), near_tie,
             near))
    if pool_margins:
        levels = randinit.pool_margins(refine, torch.from_numpy(stages["refine_in"]),
                                       use_float64=False)
        print("     refiner max-pool windows (live, smallest top-2 gap x RMS, gaps < 1e-4): "
              + ", ".join("%s %d %.1e %d" % r for r in levels))
    return ok


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", nargs=3, action="append", required=True,
                    metavar=("MODEL", "PICTURE", "MASK"))
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--near-tie", type=float, default=1e-4)
    ap.add_argument("--save-reference", help="with one case: also write the reference mask")
    ap.add_argument("--pool-margins", action="store_true",
                    help="also count the refiner's near-tie max-pool windows (float32)")
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    ok = True
    for model, picture, mask in args.case:
        ok = compare(model, picture, mask, args.tol, args.near_tie, args.save_reference,
                     args.pool_margins) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
