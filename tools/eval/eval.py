"""Sky-matte quality of a model on sky-matting/val and on the sky-free photos.

    eval.py --skychange build/skychange --model models/skychange-default.safetensors
    eval.py --torch --model M          (PyTorch reference path, tools/reference/infer.py)
    eval.py --torch --model M --label-from-truth grid  (the refiner on a perfect coarse label)
    eval.py --teacher                  (the U^2-Net-P teacher, tools/teacher)
    eval.py --teachers-mean            (U^2-Net-P and the precomputed DeepLab probability, mean)
    eval.py ... --split train --every 8  (training pairs: for choices that must not see val)
    eval.py ... --night                (the same pictures made dusk, blue hour or night)
    eval.py ... --plates               (how much of each all-sky plate of skies/ is found)

Figures (all pooled over pixels at the ground truth's size):
  IoU       of sky, alpha > 0.5 in both
  MAE       mean |alpha - truth|
  band MAE  mean |alpha - truth| within 16 px of the true sky boundary (truth > 0.5)
  false sky share of pixels with alpha > 0.5 on the photos without sky (manifest has_sky = 0),
            averaged over the pictures

--night: the pairs (and the sky-free photos) are darkened before the model sees them; the
truth is unchanged, so the figures compare directly with those of a run without --night.
Picture k of the sorted split (its index before --every and --limit) draws from
numpy.random.default_rng([20261203, k]), sky-free photo k from default_rng([20261203, k, 1]),
so every run gets the same set. With x the picture as sRGB RGB values in [0, 1], each picture
gets one of three looks, chosen with equal odds (rng.integers(3)):
  dusk       x ** gamma * exposure * tint, gamma 1.4-2.0, exposure 0.35-0.6, tint warm
             (R, G, B) x (1.10, 0.92, 0.70) or blue x (0.80, 0.92, 1.15), equal odds
  blue hour  x * exposure * (0.55, 0.75, 1.30), exposure 0.2-0.4
  night      x ** gamma * exposure + Gaussian noise per pixel and channel, gamma 2.0-2.6,
             exposure 0.1-0.25, noise sigma 0.01-0.03
(ranges drawn uniformly, in this order), clipped to [0, 1] and rounded to 8 bits. Dusk and
blue hour pictures are stored as PNG, night pictures as JPEG quality 85 (the compression
of a dark, noisy phone shot). They go to a temporary folder, or to --save-transformed DIR.

--plates: the model on every picture of skies/ (sky plates, all sky): per plate the share
of pixels with alpha >= 0.5 and the mean alpha, and how many plates are at least 95 % sky.
"""
import argparse
import csv
import glob
import os
import re
import subprocess
import sys
import tempfile
import time

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "../../../shared/data"))
BAND = 16
NIGHT_SEED = 20261203
PLATE_SKY = 0.95  # a plate counts as found when this share of it has alpha >= 0.5


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


def csv_pairs(path, every=1):
    """(name, picture, alpha) of every `every`-th row of a pairs CSV, and the kind of each name."""
    folder = os.path.dirname(os.path.abspath(path))
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if not (r.get("skip") or "").strip()][::every]
    if not rows:
        sys.exit("eval.py: %s: no pairs" % path)
    pairs, kinds = [], {}
    for r in rows:
        name = os.path.splitext(r["picture"])[0].replace(os.sep, "_")
        pairs.append((name, os.path.join(folder, r["picture"]), os.path.join(folder, r["target"])))
        kinds[name] = r.get("kind") or "other"
    return pairs, kinds


def negative_photos(root):
    with open(os.path.join(root, "manifest.csv"), newline="") as f:
        rows = [r for r in csv.DictReader(f)
                if r["path"].startswith("photos/") and r["has_sky"] == "0"]
    if not rows:
        sys.exit("eval.py: %s: no sky-free photos in the manifest" % root)
    return [os.path.join(root, r["path"]) for r in rows]


def source_of(name):
    """The labelled source of a pair, from the naming of the data README."""
    for prefix, source in (("ADE_", "ADE20K"), ("camvid_", "CamVid"), ("sbd_", "Stanford Bg"),
                           ("lmf_", "LabelMeFacade")):
        if name.startswith(prefix):
            return source
    if re.fullmatch(r"[a-z]+_\d+_\d+", name):  # <city>_<seq>_<frame>
        return "Cityscapes"
    return "other"


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

    def figures(self, names=None):
        """Pooled over all pictures, or over those whose name is in the set `names`."""
        t = {f: sum(s[f] for name, s in self.pictures if names is None or name in names)
             for f in self.FIELDS}
        return {"iou": t["inter"] / max(t["union"], 1), "mae": t["abs_sum"] / max(t["count"], 1),
                "band_mae": t["band_sum"] / max(t["band_count"], 1)}


# ---------------------------------------------------------------------------------------------
# The night/dusk check set (see the module docstring)

def night_look(rgb, rng):
    """(look, uint8 RGB picture, JPEG quality or None for PNG) of one picture."""
    x = rgb.astype(np.float32) / 255
    look = ("dusk", "blue hour", "night")[rng.integers(3)]
    quality = None
    if look == "dusk":
        gamma, exposure = rng.uniform(1.4, 2.0), rng.uniform(0.35, 0.6)
        tint = (1.10, 0.92, 0.70) if rng.integers(2) == 0 else (0.80, 0.92, 1.15)
        x = x ** gamma * exposure * np.float32(tint)
    elif look == "blue hour":
        x = x * rng.uniform(0.2, 0.4) * np.float32((0.55, 0.75, 1.30))
    else:
        gamma, exposure = rng.uniform(2.0, 2.6), rng.uniform(0.1, 0.25)
        sigma = rng.uniform(0.01, 0.03)
        x = x ** gamma * exposure + rng.normal(0, sigma, x.shape).astype(np.float32)
        quality = 85
    return look, (np.clip(x, 0, 1) * 255 + 0.5).astype(np.uint8), quality


def write_night(path, seed, folder):
    """Write the night look of picture `path` (rng seeded with `seed`) into folder; returns
    (look, path written). The basename stays, so the predictions keep their names."""
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        sys.exit("eval.py: %s: cannot read picture" % path)
    look, rgb, quality = night_look(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB),
                                    np.random.default_rng(seed))
    name = os.path.splitext(os.path.basename(path))[0]
    out = os.path.join(folder, name + (".jpg" if quality else ".png"))
    params = [cv2.IMWRITE_JPEG_QUALITY, quality] if quality else []
    if not cv2.imwrite(out, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), params):
        sys.exit("eval.py: %s: cannot write" % out)
    return look, out


def night_set(paths, n_pairs, every, folder):
    """The night looks of paths written to folder: (looks, paths written). The first n_pairs
    paths are every `every`-th pair of the split, the rest sky-free photos; the seeds follow
    the module docstring (pair k of the list is picture k * every of the split, so --every
    and --limit keep each picture's look)."""
    os.makedirs(folder, exist_ok=True)
    seeds = [[NIGHT_SEED, k * every] for k in range(n_pairs)] + \
        [[NIGHT_SEED, k, 1] for k in range(len(paths) - n_pairs)]
    done = [write_night(p, seed, folder) for p, seed in zip(paths, seeds)]
    return [look for look, _ in done], [out for _, out in done]


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
        from tools.reference import infer
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
    from tools.reference import infer

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
    from tools.reference import infer
    from tools.reference import safetensors_io
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
    from tools.teacher.teacher import Teacher
    t = Teacher()
    out = []
    for p in paths:
        bgr = cv2.imread(p, cv2.IMREAD_COLOR)
        if bgr is None:
            sys.exit("eval.py: %s: cannot read picture" % p)
        out.append(t.predict(bgr))
    return out


def deeplab_probability(root, path, shape):
    """The DeepLab teacher's precomputed sky probability of a shared picture, at shape."""
    rel = os.path.relpath(path, root).replace(os.sep + "images" + os.sep, os.sep)
    prob_path = os.path.join(root, "pretrained", "deeplab_sky", os.path.splitext(rel)[0] + ".png")
    prob = cv2.imread(prob_path, cv2.IMREAD_GRAYSCALE)
    if prob is None:
        sys.exit("eval.py: %s: no DeepLab probability for %s" % (prob_path, path))
    return cv2.resize(prob, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR) \
        .astype(np.float32) / 255


def predict_teachers_mean(root, paths):
    """The issue's reference point: (U^2-Net-P + DeepLab) / 2 per pixel."""
    return [(u + deeplab_probability(root, p, u.shape)) / 2
            for p, u in zip(paths, predict_teacher(paths))]


def predict(args, paths, truth_paths):
    """(label, alphas) of the predictor chosen on the command line; truth_paths as for
    predict_torch."""
    if args.skychange:
        return ("C engine (%s)" % args.skychange,
                predict_cli(args.skychange, args.model, paths, args.threads))
    if args.torch:
        label = "PyTorch reference (tools/reference/infer.py), not the C engine"
        if args.coarse_only:
            label += "; coarse label only, no refiner"
        if args.label_from_truth:
            label += "; the refiner's label made from the truth (%s)" % args.label_from_truth
        return label, predict_torch(args.model, paths, args.coarse_only, truth_paths,
                                    args.label_from_truth)
    if args.teachers_mean:
        return ("the two teachers' plain mean (U^2-Net-P and the precomputed DeepLab sky "
                "probability)", predict_teachers_mean(args.data, paths))
    return "teacher U^2-Net-P (tools/teacher)", predict_teacher(paths)


def print_groups(scores, group_of):
    """One line of pooled figures per group of the scored pairs (group_of: name -> group)."""
    names = [name for name, _ in scores.pictures]
    for group in sorted(set(map(group_of, names))):
        members = {name for name in names if group_of(name) == group}
        g = scores.figures(members)
        print("  %-13s %3d pairs: IoU %.4f  MAE %.4f  band MAE %.4f" % (
            group, len(members), g["iou"], g["mae"], g["band_mae"]))


def save_alphas(folder, paths, preds):
    os.makedirs(folder, exist_ok=True)
    for p, pred in zip(paths, preds):
        name = os.path.splitext(os.path.basename(p))[0]
        cv2.imwrite(os.path.join(folder, name + ".png"),
                    (np.clip(pred, 0, 1) * 255 + 0.5).astype(np.uint8))


def print_header(label, model):
    print("evaluated: %s" % label)
    if model:
        print("model: %s" % model)


def report_plates(args):
    """--plates: how much of each all-sky plate the model takes for sky."""
    plates = sorted(glob.glob(os.path.join(args.data, "skies", "*.jpg")))
    if not plates:
        sys.exit("eval.py: %s: no sky plates" % os.path.join(args.data, "skies"))
    t0 = time.time()
    label, preds = predict(args, plates, [None] * len(plates))
    seconds = time.time() - t0
    if args.save:
        save_alphas(args.save, plates, preds)
    print_header(label, args.model)
    print("sky plates: %d, %.0f s" % (len(plates), seconds))
    found = 0
    for p, pred in zip(plates, preds):
        alpha = np.clip(pred, 0, 1)
        share = float((alpha >= 0.5).mean())
        found += share >= PLATE_SKY
        print("  %-28s alpha >= 0.5: %6.2f %%  mean alpha %.4f" % (
            os.path.splitext(os.path.basename(p))[0], 100 * share, float(alpha.mean())))
    print("plates at least %.0f %% sky: %d of %d" % (100 * PLATE_SKY, found, len(plates)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    how = ap.add_mutually_exclusive_group(required=True)
    how.add_argument("--skychange", metavar="BINARY", help="evaluate through the C tool")
    how.add_argument("--torch", action="store_true",
                     help="evaluate through the PyTorch reference (tools/reference/infer.py)")
    how.add_argument("--teacher", action="store_true", help="evaluate the teacher network")
    how.add_argument("--teachers-mean", action="store_true",
                     help="evaluate the mean of the U^2-Net-P teacher and the precomputed "
                     "DeepLab probability (not with --night: DeepLab's are of the originals)")
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
    ap.add_argument("--pairs-csv", metavar="CSV",
                    help="instead of a split: the (picture, target) pairs of this CSV (columns "
                    "picture, target, optional kind and skip, paths relative to the CSV), e.g. "
                    "real night photos with the teachers' targets (tools/teacher/pseudo_labels.py)")
    ap.add_argument("--every", type=int, default=1, help="only every N-th pair of the split")
    ap.add_argument("--limit", type=int, help="only the first N pairs (a quick check)")
    ap.add_argument("--per-picture", action="store_true", help="print IoU and MAE per picture")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--night", action="store_true",
                      help="score the pictures made dusk, blue hour or night by a fixed, seeded "
                      "transform (module docstring); the truth is unchanged")
    mode.add_argument("--plates", action="store_true",
                      help="instead of the pairs: the share of each sky plate (skies/*.jpg, all "
                      "sky) taken for sky; ignores --split, --every, --limit, --per-picture")
    ap.add_argument("--save-transformed", metavar="DIR",
                    help="with --night: keep the transformed pictures here (else a temporary "
                    "folder)")
    args = ap.parse_args()
    if args.torch and not args.model:
        ap.error("--torch needs --model")
    if args.every < 1:
        ap.error("--every must be 1 or more")
    if (args.coarse_only or args.label_from_truth) and not args.torch:
        ap.error("--coarse-only and --label-from-truth need --torch")
    if args.coarse_only and args.label_from_truth:
        ap.error("--coarse-only and --label-from-truth exclude each other")
    if args.teachers_mean and args.night:
        ap.error("--teachers-mean has no DeepLab probabilities of --night's pictures")
    if args.save_transformed and not args.night:
        ap.error("--save-transformed needs --night")
    if args.plates and args.label_from_truth:
        ap.error("--plates has no truth for --label-from-truth")
    if args.plates:
        report_plates(args)
        return

    kind_of = {}
    if args.pairs_csv:
        if args.night:
            ap.error("--pairs-csv is scored as it is (no --night)")
        pairs, kind_of = csv_pairs(args.pairs_csv, args.every)
        pairs = pairs[:args.limit]
        args.split = os.path.basename(args.pairs_csv)
    else:
        pairs = matting_pairs(args.data, args.split, args.every)[:args.limit]
    negatives = negative_photos(args.data)
    paths = [p for _, p, _ in pairs] + negatives
    truth_paths = [a for _, _, a in pairs] + [None] * len(negatives)
    with tempfile.TemporaryDirectory(prefix="skychange-night-") as tmp:
        inputs = paths
        if args.night:
            looks, inputs = night_set(paths, len(pairs), args.every,
                                      args.save_transformed or tmp)
        t0 = time.time()
        label, preds = predict(args, inputs, truth_paths)
        seconds = time.time() - t0
    if args.night:
        label += "; night check set"

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
        save_alphas(args.save, paths, preds)

    f = scores.figures()
    print_header(label, args.model)
    print("%s pairs: %d%s, sky-free photos: %d, %.0f s" % (
        args.split, len(pairs), " (every %d-th)" % args.every if args.every > 1 else "",
        len(negatives), seconds))
    if args.night:
        print("night check set (seed %d, see eval.py's docstring), sky-free photos "
              "transformed too%s; figures by source, then by look:" % (
                  NIGHT_SEED, ", pictures in %s" % args.save_transformed
                  if args.save_transformed else ""))
    print("%s IoU %.4f  MAE %.4f  band MAE (%d px) %.4f" % (args.split, f["iou"], f["mae"], BAND,
                                                            f["band_mae"]))
    print_groups(scores, kind_of.get if kind_of else source_of)
    if args.night:
        print_groups(scores, dict(zip((name for name, _, _ in pairs), looks)).get)
    print("false sky on sky-free photos: mean %.2f %%  (%s)" % (
        100 * np.mean(false_sky),
        ", ".join("%s %.2f%%" % (os.path.splitext(os.path.basename(p))[0], 100 * v)
                  for p, v in zip(negatives, false_sky))))
    if args.per_picture:
        for name, iou, mae in scores.per_picture():
            print("  %-40s IoU %.4f MAE %.4f" % (name, iou, mae))


if __name__ == "__main__":
    main()
