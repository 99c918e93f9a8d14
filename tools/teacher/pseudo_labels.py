"""Sky targets for unlabelled photographs from the two teachers, weighed by the light.

U^2-Net-P holds at dusk and night where DeepLab does not (held-out phone photos: IoU 0.88
against 0.77), while DeepLab is the stronger on daylight landscapes and outdoor scenes; a plain
mean is worse than the better of the two in either case. So each picture gets
    target = w * p_u2net + (1 - w) * p_deeplab,   w = 0.4 + 0.45 * darkness,
darkness = 1 for a mean luma of 0.10 or less, 0 from 0.35 up, linear between. The script also
writes a contact sheet per page of pictures (picture | U^2-Net-P | DeepLab | target) so that
pictures whose target is wrong can be dropped by eye before training (a `skip` column).

    python3 -m tools.teacher.pseudo_labels --list manifest.csv --root DIR -o OUTDIR [--sheets SHEETDIR]
writes OUTDIR/<file>.png (8-bit target at the picture's size) and OUTDIR/targets.csv (file,
darkness, w, agreement).
"""
import argparse
import csv
import os
import sys

import cv2
import numpy as np

from tools.teacher.deeplab import DeepLab
from tools.teacher.teacher import Teacher


def darkness(bgr):
    luma = float(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY).mean()) / 255
    return float(np.clip((0.35 - luma) / 0.25, 0, 1))


def u2net_weight(bgr):
    return 0.4 + 0.45 * darkness(bgr)


def weighed(bgr, p_u2net, p_deeplab):
    """The two teachers' probabilities mixed by the picture's darkness (module docstring)."""
    w = u2net_weight(bgr)
    return w * p_u2net + (1 - w) * p_deeplab


def agreement(p, q):
    """IoU of the two teachers' sky at 0.5 (1 when neither sees sky)."""
    a, b = p >= 0.5, q >= 0.5
    union = np.count_nonzero(a | b)
    return 1.0 if union == 0 else np.count_nonzero(a & b) / union


def tile(img, h=200):
    if img.ndim == 2:
        img = cv2.cvtColor((np.clip(img, 0, 1) * 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)
    return cv2.resize(img, (int(img.shape[1] * h / img.shape[0]), h))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", required=True, help="CSV with a `file` column (paths under --root)")
    ap.add_argument("--root", required=True)
    ap.add_argument("-o", "--outdir", required=True)
    ap.add_argument("--sheets", help="folder for contact sheets")
    ap.add_argument("--max-side", type=int, default=1600,
                    help="pictures are shrunk to this first (the teachers work far below it)")
    args = ap.parse_args()
    with open(args.list, newline="") as f:
        files = [row["file"] for row in csv.DictReader(f)]
    u2, dl = Teacher(), DeepLab()
    os.makedirs(args.outdir, exist_ok=True)
    if args.sheets:
        os.makedirs(args.sheets, exist_ok=True)
    rows, page = [], []
    for i, rel in enumerate(files):
        bgr = cv2.imread(os.path.join(args.root, rel), cv2.IMREAD_COLOR)
        if bgr is None:
            sys.exit("pseudo_labels.py: %s: cannot read" % rel)
        full = bgr.shape[:2]
        scale = args.max_side / max(bgr.shape[:2])
        if scale < 1:
            bgr = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        pu, pd = u2.predict(bgr), dl.predict(bgr)
        d, w = darkness(bgr), u2net_weight(bgr)
        target = weighed(bgr, pu, pd)
        out = os.path.join(args.outdir, os.path.splitext(rel)[0] + ".png")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        full_target = cv2.resize(target, (full[1], full[0]), interpolation=cv2.INTER_LINEAR)
        if not cv2.imwrite(out, (np.clip(full_target, 0, 1) * 255 + 0.5).astype(np.uint8)):
            sys.exit("pseudo_labels.py: %s: cannot write" % out)
        rows.append((rel, "%.3f" % d, "%.3f" % w, "%.3f" % agreement(pu, pd)))
        print("%4d %-60s darkness %.2f agreement %.2f" % (i, rel, d, float(rows[-1][3])),
              flush=True)
        if args.sheets:
            line = np.hstack([tile(bgr), tile(pu), tile(pd), tile(target)])
            cv2.putText(line, "%d %s" % (i, os.path.basename(rel)[:40]), (4, 18),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 255), 1)
            page.append(cv2.resize(line, (1000, int(line.shape[0] * 1000 / line.shape[1]))))
            if len(page) == 6 or i == len(files) - 1:
                cv2.imwrite(os.path.join(args.sheets, "sheet_%03d.png" % (i // 6)), np.vstack(page))
                page = []
    with open(os.path.join(args.outdir, "targets.csv"), "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["file", "darkness", "w_u2net", "agreement"])
        wr.writerows(rows)


if __name__ == "__main__":
    main()
