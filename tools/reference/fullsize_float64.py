"""The engine's mask against the float64 reference on a full-size model of the original.

Usage: fullsize_float64.py (--seed S | --model FILE) --photo P [--photo P ...]
                           --skychange BIN [--skychange BIN ...] --out DIR [--threads N]

With --seed, builds the original's full-size architecture (coarse 640, refine 1280) with
PyTorch's default initialisation under torch.manual_seed(S), writes it as a ModelScope directory
and converts it (tools/convert_modelscope.py); --model takes a model file instead (such as
`bench_nets --save-model`'s random one). Each photo is first written as a lossless PNG, so
that builds whose JPEG decoders differ read the same pixels. Then, per photo: the reference mask in
float32 and in float64 (tools/reference/infer.py; the refiner's float64 convolutions in bands
of rows, parity_model.banded_convs), and `BIN --mask` of every --skychange build, the first
also with SKYCHANGE_CONV=im2col. Prints, for each mask against the float64 one and against
the first build's, the largest difference and the pixels that differ by more than 1e-4, and
the pixels where float32 and float64 coarse labels disagree (near-ties: there the two may
differ). About 2 minutes a photo on 2 cores, 4.3 GB at most.
"""

import argparse
import os
import subprocess
import sys

import cv2
import numpy as np
import torch

from tools.reference import infer
from tools.reference import make_modelscope_dir
from tools.reference import nets
from tools.reference import safetensors_io
from tools.reference.parity_model import banded_convs

LIMIT = 1e-4


def build_model(seed, out):
    cfg = nets.modelscope_config()
    torch.manual_seed(seed)
    coarse = nets.CoarseNet(cfg).eval()
    refine = nets.RefineNet(cfg).eval()
    folder = os.path.join(out, "seed%d" % seed)
    make_modelscope_dir.write_dir(folder, cfg, coarse, refine, np.zeros((8, 8, 3), np.uint8),
                                  "module.")
    model = folder + ".safetensors"
    subprocess.run([sys.executable, "-m", "tools.convert_modelscope", folder, "-o", model],
                   check=True)
    return model


def reference_masks(model, pictures):
    """{dtype name: [(mask, label) per picture]} of the reference in float32 and float64."""
    result = {}
    for name in ("float32", "float64"):
        coarse, refine, config = safetensors_io.load_networks(model)
        if name == "float64":
            coarse.double()
            banded_convs(refine.double())
        runs = []
        for picture in pictures:
            stages = infer.infer_mask(coarse, refine, picture, config["preprocess"])
            runs.append((np.asarray(stages["mask"], np.float64), stages["label"]))
        result[name] = runs
    return result


def engine_mask(binary, model, png, out, threads, im2col):
    env = dict(os.environ)
    if im2col:
        env["SKYCHANGE_CONV"] = "im2col"
    subprocess.run([binary, "--mask", png, "--model", model, "--threads", str(threads), "-o",
                    out], check=True, env=env, stdout=subprocess.DEVNULL)
    return infer.read_pfm(out).astype(np.float64)


def row(name, mask, against):
    d = np.abs(mask - against)
    return "  %-34s max %.2e  above %g: %d of %d" % (name, d.max(), LIMIT, int((d > LIMIT).sum()),
                                                     d.size)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = ap.add_mutually_exclusive_group(required=True)
    which.add_argument("--seed", type=int)
    which.add_argument("--model", help="a model file of the original's architecture")
    ap.add_argument("--photo", action="append", required=True)
    ap.add_argument("--skychange", action="append", required=True, help="a build's skychange")
    ap.add_argument("--out", required=True, help="folder for the model and the masks")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    model = args.model or build_model(args.seed, args.out)
    name = "seed %d" % args.seed if args.model is None else os.path.basename(args.model)
    pngs, pictures = [], []
    for photo in args.photo:
        png = os.path.join(args.out, os.path.splitext(os.path.basename(photo))[0] + ".png")
        picture = infer.read_picture(photo)
        cv2.imwrite(png, cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
        pngs.append(png)
        pictures.append(infer.read_picture(png))
    reference = reference_masks(model, pictures)
    for i, png in enumerate(pngs):
        f64, label64 = reference["float64"][i]
        f32, label32 = reference["float32"][i]
        print("%s, %s: coarse labels of float32 and float64 differ at %d pixels"
              % (name, os.path.basename(args.photo[i]), int((label32 != label64).sum())))
        masks = [("reference float32", f32)]
        for b, binary in enumerate(args.skychange):
            for im2col in ((False, True) if b == 0 else (False,)):
                tag = "%d%s" % (b, "_im2col" if im2col else "")
                out = os.path.join(args.out, "%s_%s.pfm" % (os.path.basename(png)[:-4], tag))
                masks.append(("%s%s" % (binary, " (im2col)" if im2col else ""),
                              engine_mask(binary, model, png, out, args.threads, im2col)))
        print(" against float64:")
        for name, mask in masks:
            print(row(name, mask, f64))
        print(" against %s:" % masks[1][0])
        for name, mask in masks[2:]:
            print(row(name, mask, masks[1][1]))


if __name__ == "__main__":
    main()
