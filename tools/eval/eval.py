"""Sky-matte quality of a model on sky-matting/val and on the sky-free photos.

    eval.py --skychange build/skychange --model models/skychange-default.safetensors
    eval.py --torch --model M          (PyTorch reference path, tools/reference/infer.py)
    eval.py --torch --model M --label-from-truth grid  (the refiner on a perfect coarse label)
    eval.py --teacher                  (the U^2-Net-P teacher, tools/teacher)
    eval.py ... --split train --every 8  (training pairs: for choices that must not see val)

Figures (all pooled over pixels at the ground truth's size):
  IoU       of sky, alpha > 0.5 in both
  MAE       mean |alpha - truth|
  band MAE  mean |alpha - truth| within 16 px of the true sky boundary (truth > 0.5)
  false sky share of pixels with alpha > 0.5 on the photos without sky (manifest has_sky = 0),
            averaged over the pictures
"""
import argparse
import csv
import glob
import os
import subprocess
import sys
import tempfile
import time

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
sys.path.insert(0, os.path.join(HERE, "..", "teacher"))
DATA = os.path.normpath(os.path.join(HERE, "../../../shared/data"))
BAND = 16


def matting_pairs(root, split="val", every=1):
    """(name, picture, alpha) of every `every`-th pair of sky-matting/<split>."""
    out = []
    folder = os.path.join(root, "sky-matting", split)
    for img in sorted(glob.glob(os.path.join(folder, "images", "*.jpg")))[::every]:
        name = os.path.splitext(os.path.basename(img))[0]
        out.append((name, img, os.path.join(folder, "alphas", name + ".png")))
    if not out:
        sys.exit("eval.py: %s: no %s pairs" % (folder, split))
    return out


def negative_photos(root):
    with open(os.path.join(root, "manifest.csv"), newline="") as f:
        rows = [r for r in csv.DictReader(f)
                if r["path"].startswith("photos/") and r["has_sky"] == "0"]
    if not rows:
        sys.exit("eval.py: %s: no sky-free photos in the manifest" % root)
    return [os.path.join(root, r["path"]) for r in rows]


def source_of(name):
    """The labelled source of a val pair, from the naming of the data README."""
    for prefix, source in (("ADE_", "ADE20K"), ("camvid_", "CamVid"), ("sbd_", "Stanford Bg")):
        if name.startswith(prefix):
            return source
    return "Cityscapes"


def boundary_band(truth):
    sky = (truth > 0.5).astype(np.uint8)
    if sky.all() or not sky.any():
        return np.zeros(truth.shape, bool)
    d_in = cv2.distanceTransform(sky, cv2.DIST_L2, 5)
    d_out = cv2.distanceTransform(1 - sky, cv2.DIST_L2, 5)
    return np.where(sky > 0, d_in, d_out) <= BAND


class Scores:
    """Per-picture sums, pooled over all pictures or over those of one source."""
    FIELDS = ("inter", "union", "abs_sum", "count", "band_sum", "band_count")

    def __init__(self):
        self.pictures = []  # (name, {field: sum})

    def add(self, name, pred, truth):
        pred_sky, true_sky = pred > 0.5, truth > 0.5
        err = np.abs(pred - truth)
        band = boundary_band(truth)
        self.pictures.append((name, {
            "inter": np.count_nonzero(pred_sky & true_sky),
            "union": np.count_nonzero(pred_sky | true_sky),
            "abs_sum": float(err.sum()), "count": err.size,
            "band_sum": float(err[band].sum()), "band_count": int(band.sum())}))

    def per_picture(self):
        return [(name, s["inter"] / max(s["union"], 1), s["abs_sum"] / max(s["count"], 1))
                for name, s in self.pictures]

    def figures(self, source=None):
        t = {f: sum(s[f] for name, s in self.pictures if source in (None, source_of(name)))
             for f in self.FIELDS}
        return {"iou": t["inter"] / max(t["union"], 1), "mae": t["abs_sum"] / max(t["count"], 1),
                "band_mae": t["band_sum"] / max(t["band_count"], 1)}


# ---------------------------------------------------------------------------------------------
# Predictors: each maps a list of picture paths to float32 alphas (picture size, 1 = sky)

def predict_cli(binary, model, paths, threads):
    with tempfile.TemporaryDirectory(prefix="skychange-eval-") as tmp:
        cmd = [binary, "--mask"] + paths + ["-o", tmp, "--format", "pfm", "-q"]
        if model:
            cmd += ["--model", model]
        if threads:
            cmd += ["--threads", str(threads)]
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            sys.exit("eval.py: %s failed (exit %d): %s" % (binary, res.returncode,
                                                            res.stderr.strip()))
        import infer
        out = []
        for p in paths:
            name = os.path.splitext(os.path.basename(p))[0]
            out.append(infer.read_pfm(os.path.join(tmp, name + ".pfm")))
        return out


def truth_label(truth_path, where, pre):
    """label_of for infer.infer_mask: the true sky (alpha > 0.5; none where truth_path is
    None), fit and padded into the refine canvas like the picture. where = "canvas": at the
    canvas's resolution; "grid": through the coarse net's output grid (coarse_size / 4, area
    mean, then resized back like the coarse scores): what a perfect coarse net could give."""
    import torch
    import infer

    def label_of(p):
        size = pre["refine_size"]
        h, w = p["resized"].shape[:2]
        canvas = np.zeros((size, size), np.float32)
        if truth_path is not None:
            truth = cv2.imread(truth_path, cv2.IMREAD_GRAYSCALE)
            if truth is None:
                sys.exit("eval.py: %s: cannot read alpha" % truth_path)
            left, top = p["pad"][:2]
            canvas[top:top + h, left:left + w] = cv2.resize(
                truth.astype(np.float32) / 255, (w, h), interpolation=cv2.INTER_AREA)
        t = torch.from_numpy(canvas)[None, None]
        if where == "grid":
            grid = pre["coarse_size"] // 4
            t = infer.bilinear_ac(torch.nn.functional.interpolate(t, size=(grid, grid),
                                                                  mode="area"), size)
        return (t > 0.5).float()
    return label_of


def predict_torch(model, paths, coarse_only=False, truth_paths=None, label_from_truth=None):
    """truth_paths (one per path, None for a picture without truth) with label_from_truth:
    the refiner gets truth_label's label instead of the coarse net's."""
    import torch
    import infer
    import safetensors_io
    torch.set_num_threads(1)
    coarse, refine, config = safetensors_io.load_networks(model)
    pre = config["preprocess"]
    out = []
    for i, p in enumerate(paths):
        picture = infer.read_picture(p)
        label_of = truth_label(truth_paths[i], label_from_truth, pre) if label_from_truth \
            else None
        stages = infer.infer_mask(coarse, refine, picture, pre, label_of)
        if coarse_only:  # the coarse net's label as the matte: what the refiner adds
            _, mask = infer.finish_mask(stages["label"][0], stages["pad"], *picture.shape[:2])
            out.append(mask)
        else:
            out.append(stages["mask"])
    return out


def predict_teacher(paths):
    from teacher import Teacher
    t = Teacher()
    out = []
    for p in paths:
        bgr = cv2.imread(p, cv2.IMREAD_COLOR)
        if bgr is None:
            sys.exit("eval.py: %s: cannot read picture" % p)
        out.append(t.predict(bgr))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    how = ap.add_mutually_exclusive_group(required=True)
    how.add_argument("--skychange", metavar="BINARY", help="evaluate through the C tool")
    how.add_argument("--torch", action="store_true",
                     help="evaluate through the PyTorch reference (tools/reference/infer.py)")
    how.add_argument("--teacher", action="store_true", help="evaluate the teacher network")
    ap.add_argument("--coarse-only", action="store_true",
                    help="with --torch: score the coarse net's label instead of the refined matte")
    ap.add_argument("--label-from-truth", choices=["canvas", "grid"],
                    help="with --torch: give the refiner the true sky as its label, at the "
                    "refine canvas's resolution or through the coarse net's output grid (what "
                    "a perfect coarse net could give): how far the refiner could go")
    ap.add_argument("--model", help="model file (C tool: default model if left out)")
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--threads", type=int, default=0, help="C tool worker threads")
    ap.add_argument("--save", metavar="DIR", help="write the predicted alphas as PNGs here")
    ap.add_argument("--split", choices=["val", "train"], default="val",
                    help="which pairs of sky-matting to score")
    ap.add_argument("--every", type=int, default=1, help="only every N-th pair of the split")
    ap.add_argument("--limit", type=int, help="only the first N pairs (a quick check)")
    ap.add_argument("--per-picture", action="store_true", help="print IoU and MAE per picture")
    args = ap.parse_args()
    if args.torch and not args.model:
        ap.error("--torch needs --model")
    if args.every < 1:
        ap.error("--every must be 1 or more")
    if (args.coarse_only or args.label_from_truth) and not args.torch:
        ap.error("--coarse-only and --label-from-truth need --torch")
    if args.coarse_only and args.label_from_truth:
        ap.error("--coarse-only and --label-from-truth exclude each other")

    pairs = matting_pairs(args.data, args.split, args.every)[:args.limit]
    negatives = negative_photos(args.data)
    paths = [p for _, p, _ in pairs] + negatives
    t0 = time.time()
    if args.skychange:
        label = "C engine (%s)" % args.skychange
        preds = predict_cli(args.skychange, args.model, paths, args.threads)
    elif args.torch:
        label = "PyTorch reference (tools/reference/infer.py), not the C engine"
        if args.coarse_only:
            label += "; coarse label only, no refiner"
        if args.label_from_truth:
            label += "; the refiner's label made from the truth (%s)" % args.label_from_truth
        truth_paths = [a for _, _, a in pairs] + [None] * len(negatives)
        preds = predict_torch(args.model, paths, args.coarse_only, truth_paths,
                              args.label_from_truth)
    else:
        label = "teacher U^2-Net-P (tools/teacher)"
        preds = predict_teacher(paths)
    seconds = time.time() - t0

    scores = Scores()
    for (name, _, alpha_path), pred in zip(pairs, preds):
        truth = cv2.imread(alpha_path, cv2.IMREAD_GRAYSCALE)
        if truth is None:
            sys.exit("eval.py: %s: cannot read alpha" % alpha_path)
        if pred.shape != truth.shape:
            sys.exit("eval.py: %s: prediction %s, truth %s" % (name, pred.shape, truth.shape))
        scores.add(name, np.clip(pred, 0, 1), truth.astype(np.float32) / 255)
    false_sky = [float((pred > 0.5).mean()) for pred in preds[len(pairs):]]
    if args.save:
        os.makedirs(args.save, exist_ok=True)
        for p, pred in zip(paths, preds):
            name = os.path.splitext(os.path.basename(p))[0]
            cv2.imwrite(os.path.join(args.save, name + ".png"),
                        (np.clip(pred, 0, 1) * 255 + 0.5).astype(np.uint8))

    f = scores.figures()
    print("evaluated: %s" % label)
    if args.model:
        print("model: %s" % args.model)
    print("%s pairs: %d%s, sky-free photos: %d, %.0f s" % (
        args.split, len(pairs), " (every %d-th)" % args.every if args.every > 1 else "",
        len(negatives), seconds))
    print("%s IoU %.4f  MAE %.4f  band MAE (%d px) %.4f" % (args.split, f["iou"], f["mae"], BAND,
                                                            f["band_mae"]))
    for source in sorted({source_of(name) for name, _, _ in pairs}):
        g = scores.figures(source)
        n = sum(source_of(name) == source for name, _, _ in pairs)
        print("  %-12s %3d pairs: IoU %.4f  MAE %.4f  band MAE %.4f" % (
            source, n, g["iou"], g["mae"], g["band_mae"]))
    print("false sky on sky-free photos: mean %.2f %%  (%s)" % (
        100 * np.mean(false_sky),
        ", ".join("%s %.2f%%" % (os.path.splitext(os.path.basename(p))[0], 100 * v)
                  for p, v in zip(negatives, false_sky))))
    if args.per_picture:
        for name, iou, mae in scores.per_picture():
            print("  %-40s IoU %.4f MAE %.4f" % (name, iou, mae))


if __name__ == "__main__":
    main()
