"""The training and check lists of the real night, dusk, fog and backlit photographs.

tools/train/extra_photos.csv names each photograph (fetched from the repository and commit it
gives into EXTRA/<file>), the teacher whose sky target was judged right by eye (`weighed`: the
darkness-weighed mix of tools/teacher/pseudo_labels.py; `u2net`; `deeplab`; `all sky`: clouds
with no ground in the picture, where both teachers failed; `skipped`: neither) and its split
(tools/train/fetch_extra_photos.py fetches them). This writes, under EXTRA:
  targets/<file>.png          the chosen teacher's sky probability at the photograph's size
  pseudo_train.csv, pseudo_check.csv   (picture, target, kind) for train.py --pseudo-list and
                              eval.py --pairs-csv
  pseudo_train_more.csv       pseudo_train.csv plus the photographs of split `train-more` (the
                              fog and dusk ones added for RECIPE=v15, which the recipes before
                              it never saw, so that they reproduce)
  negatives_train.txt         tools/train/debian_negatives.txt plus the sky-free dark photographs
                              of the train split, for train.py --extra-negatives
  closeups_train.txt          the sky-free out-of-focus close-ups (kind nosky_closeup) of the
                              train split, for train.py --hard-negatives
  nosky_check.csv             the sky-free photographs of the check split (dark ones and
                              close-ups), target 0
  clouds_train.csv, clouds_check.csv   the same as the pseudo lists for the photographs of
                              clouds (kind clouds), for train.py --clouds-list and eval.py

    python3 -m tools.train.make_pseudo_lists --extra .data/extra
"""
import argparse
import csv
import os
import sys

import cv2
import numpy as np

from tools.teacher.deeplab import DeepLab
from tools.teacher.pseudo_labels import weighed
from tools.teacher.teacher import Teacher

HERE = os.path.dirname(os.path.abspath(__file__))


class Targets:
    def __init__(self):
        self.u2, self.dl = None, None

    def of(self, bgr, how):
        if how in ("u2net", "weighed"):
            self.u2 = self.u2 or Teacher()
            pu = self.u2.predict(bgr)
        if how in ("deeplab", "weighed"):
            self.dl = self.dl or DeepLab()
            pd = self.dl.predict(bgr)
        if how == "u2net":
            return pu
        if how == "deeplab":
            return pd
        if how == "all sky":
            return np.ones(bgr.shape[:2], np.float32)
        return weighed(bgr, pu, pd)


def write_png(path, prob):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if not cv2.imwrite(path, (np.clip(prob, 0, 1) * 255 + 0.5).astype(np.uint8)):
        sys.exit("make_pseudo_lists.py: %s: cannot write" % path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extra", default=".data/extra", help="folder holding the photographs")
    ap.add_argument("--list", default=os.path.join(HERE, "extra_photos.csv"))
    args = ap.parse_args()
    with open(args.list, newline="") as f:
        rows = list(csv.DictReader(f))
    targets = Targets()
    pairs = {"train": [], "check": [], "train-more": []}
    clouds = {"train": [], "check": []}
    negatives = {"train": [], "check": []}
    closeups = []  # train split; the check split's go with the dark ones into nosky_check.csv
    for r in rows:
        if r["split"] not in pairs:
            continue
        if r["split"] == "train-more" and r["kind"] in ("clouds", "nosky_dark", "nosky_closeup"):
            sys.exit("make_pseudo_lists.py: %s: split train-more is for photographs with sky "
                     "of the photograph pool" % r["file"])
        picture = os.path.join(args.extra, r["file"])
        bgr = cv2.imread(picture, cv2.IMREAD_COLOR)
        if bgr is None:
            sys.exit("make_pseudo_lists.py: %s: cannot read (fetch it from %s @ %s, %s)"
                     % (picture, r["repo"], r["commit"], r["original_path"]))
        stem = os.path.splitext(r["file"])[0] + ".png"
        if r["kind"] in ("nosky_dark", "nosky_closeup"):
            write_png(os.path.join(args.extra, "zero_targets", stem),
                      np.zeros(bgr.shape[:2], np.float32))
            if r["kind"] == "nosky_closeup" and r["split"] == "train":
                closeups.append(r["file"])
            else:
                negatives[r["split"]].append((r["file"], r["kind"]))
            continue
        target = os.path.join(args.extra, "targets", stem)
        if not os.path.exists(target):
            write_png(target, targets.of(bgr, r["target"]))
        pool = clouds if r["kind"] == "clouds" else pairs
        pool[r["split"]].append((r["file"], "targets/" + stem, r["kind"]))
    more = pairs.pop("train-more")
    pairs["train_more"] = pairs["train"] + more
    for name, lists in (("pseudo", pairs), ("clouds", clouds)):
        for split, rows_out in lists.items():
            with open(os.path.join(args.extra, "%s_%s.csv" % (name, split)), "w",
                      newline="") as f:
                w = csv.writer(f)
                w.writerow(["picture", "target", "kind"])
                w.writerows(rows_out)
    with open(os.path.join(args.extra, "negatives_train.txt"), "w") as f:
        with open(os.path.join(HERE, "debian_negatives.txt")) as deb:
            f.write(deb.read())
        for name, _ in negatives["train"]:
            f.write(os.path.abspath(os.path.join(args.extra, name)) + "\n")
    with open(os.path.join(args.extra, "closeups_train.txt"), "w") as f:
        for name in closeups:
            f.write(os.path.abspath(os.path.join(args.extra, name)) + "\n")
    with open(os.path.join(args.extra, "nosky_check.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["picture", "target", "kind"])
        w.writerows((n, "zero_targets/" + os.path.splitext(n)[0] + ".png", kind)
                    for n, kind in negatives["check"])
    print("%d train (%d more for v15) and %d check photographs with sky, %d and %d without "
          "(%d train close-ups), %d and %d of clouds"
          % (len(pairs["train"]), len(more), len(pairs["check"]),
             len(negatives["train"]) + len(closeups),
             len(negatives["check"]), len(closeups), len(clouds["train"]), len(clouds["check"])))


if __name__ == "__main__":
    main()
