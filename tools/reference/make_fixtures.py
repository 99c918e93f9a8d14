"""Writes the network test fixtures to tests/data/nets/ (deterministic, a few seconds).

For every variant: <variant>.safetensors (a tiny random model) and <variant>_io.safetensors
(every stage of the mask inference of one synthetic picture, float32), plus the picture as
picture_<h>x<w>.png. The random weights are drawn until the fixture is numerically stable:
no label pixel and no refiner max-pool window is near a tie, checked by running everything
again in float64 (figures printed for each fixture).

Usage: python3 -m tools.reference.make_fixtures [OUTPUT_DIR]   (default: tests/data/nets)
"""

import argparse
import os
import sys

import cv2
import numpy as np
import torch

from tools.reference import export
from tools.reference import fixtures_common as fc
from tools.reference import safetensors_io

ASPP_SMALL = {"out": 4, "dilations": [1, 2, 3, 4]}
ASPP_WIDE = {"out": 4, "dilations": [1, 6, 12, 18]}
REFINE_ASPP = {"out": 4, "dilations": [1, 3, 6, 9]}
TAIL_1 = {"block": "BOTTLENECK", "blocks": 1, "channels": 3}
TAIL_2 = {"block": "BOTTLENECK", "blocks": 2, "channels": 3}

# MobileNetV2 encoders (coarse.encoder) narrow enough for a fixture: features 0-7 at
# 1/2, 1/2, 1/4, 1/4, 1/8, 1/8, 1/16, 1/32, with expand-1 and residual blocks; the second
# lists a row past its last tap, which the encoder leaves out.
ENCODER_5_TAPS = {"type": "mobilenet_v2", "stem_channels": 4,
                  "blocks": [[1, 4, 1, 1], [2, 6, 2, 2], [2, 8, 2, 2], [2, 8, 1, 2],
                             [2, 12, 1, 2]],
                  "taps": [1, 3, 5, 6, 7]}
ENCODER_2_TAPS = {"type": "mobilenet_v2", "stem_channels": 4,
                  "blocks": [[1, 4, 1, 1], [3, 6, 2, 2], [2, 8, 1, 2]],
                  "taps": [1, 3]}
# transition1: branches 0 and 2 pass through, 1 and 3 change width
STAGES_4_BRANCHES = [{"modules": 1, "block": "BASIC", "blocks": [1, 1, 1, 1],
                      "channels": [6, 4, 8, 8]}]
# from one encoder branch, a stage per new branch as in HRNet
STAGES_FROM_1 = [{"modules": 1, "block": "BASIC", "blocks": [1], "channels": [4]},
                 {"modules": 1, "block": "BASIC", "blocks": [1, 1], "channels": [4, 6]},
                 {"modules": 1, "block": "BASIC", "blocks": [1, 1, 1], "channels": [4, 6, 8]}]

# name: (config options, picture (height, width), seed base)
VARIANTS = {
    # portrait, up-scaled into the canvas, pad left/right
    "super_first_aspp": (dict(architecture="super_first", aspp=ASPP_SMALL), (53, 37), 1000),
    # landscape, down-scaled, pad top/bottom; 2 super modules
    "super_first_tail_scale2_refine_aspp": (
        dict(architecture="super_first", tail=TAIL_1, ocr_scale=2, refine_aspp=REFINE_ASPP,
             super_stage={"modules": 2, "block": "BASIC", "blocks": [1, 1], "channels": [4, 8]}),
        (101, 123), 2000),
    # mask resized back by exactly 1/2 (OpenCV's area special case); dilations past the map
    "ocr_first_aspp_refine_aspp": (
        dict(architecture="ocr_first", aspp=ASPP_WIDE, refine_aspp=REFINE_ASPP), (30, 40), 3000),
    # odd portrait, down-scaled; Bottleneck super stage
    "ocr_first_tail_scale2": (
        dict(architecture="ocr_first", tail=TAIL_2, ocr_scale=2,
             super_stage={"modules": 1, "block": "BOTTLENECK", "blocks": [1, 1],
                          "channels": [2, 3]}),
        (111, 97), 4000),
    # the label from the summed probabilities of several coarse views, mirrored too
    "ocr_first_views": (
        dict(architecture="ocr_first", aspp=ASPP_SMALL, refine_aspp=REFINE_ASPP,
             coarse_views={"sizes": [48, 64], "flip": True}),
        (61, 83), 5000),
    # a MobileNetV2 encoder instead of the stem and layer1, four branches from its taps
    "ocr_first_mobilenet_views": (
        dict(architecture="ocr_first", aspp=ASPP_SMALL, refine_aspp=REFINE_ASPP,
             coarse_views={"sizes": [48, 64], "flip": True}, encoder=ENCODER_5_TAPS,
             stages=STAGES_4_BRANCHES),
        (71, 59), 6000),
    # an encoder with one branch tap; the stages add the others
    "super_first_mobilenet_tail": (
        dict(architecture="super_first", tail=TAIL_1, encoder=ENCODER_2_TAPS,
             stages=STAGES_FROM_1),
        (67, 89), 7000),
}

# The variants an original checkpoint can express: coarse views and encoders are this
# project's own.
ORIGINAL_VARIANTS = [name for name, (options, _, _) in VARIANTS.items()
                     if not options.get("coarse_views") and not options.get("encoder")]

MAX_TRIES = 40


def io_tensors(stages):
    out = {}
    for k in fc.STAGES:
        out[k] = np.asarray(stages[k], dtype=np.float32)
    return out


def io_metadata(cfg, picture, stages, report):
    left, top, right, bottom = stages["pad"]
    meta = {"format": "skychange-fixture", "config": cfg["name"],
            "picture": "picture_%dx%d.png" % picture.shape[:2],
            "picture_height": picture.shape[0], "picture_width": picture.shape[1],
            "resized_height": stages["resized_size"][0],
            "resized_width": stages["resized_size"][1],
            "pad_left": left, "pad_top": top, "pad_right": right, "pad_bottom": bottom,
            "coarse_size": cfg["preprocess"]["coarse_size"],
            "refine_size": cfg["preprocess"]["refine_size"],
            "label_min_margin": "%.3e" % report["label_min_margin"],
            "pool_min_gap": "%.3e" % min(r[2] for r in report["pool"])}
    for k in fc.STAGES:
        meta["f64_stagewise_rel." + k] = "%.3e" % report["stagewise"][k][1]
    return meta


def make_variant(name, options, size, seed_base, out_dir):
    cfg = fc.tiny_config(name, **options)
    picture = fc.synthetic_picture(size[0], size[1], seed_base)
    try:
        coarse, refine, stages, report, seed = fc.find_stable_models(cfg, picture, seed_base,
                                                                     MAX_TRIES)
    except RuntimeError as e:
        raise SystemExit(str(e))
    export.export_model(coarse, refine, cfg, os.path.join(out_dir, name + ".safetensors"))
    safetensors_io.write(os.path.join(out_dir, name + "_io.safetensors"),
                         io_tensors(stages), io_metadata(cfg, picture, stages, report))
    png = os.path.join(out_dir, "picture_%dx%d.png" % size)
    cv2.imwrite(png, cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))
    print(fc.format_report("%s (seed %d, picture %dx%d)" % (name, seed, size[0], size[1]),
                           report))


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", nargs="?",
                    default=os.path.join(here, "..", "..", "tests", "data", "nets"),
                    help="where the fixtures go (default: tests/data/nets)")
    out_dir = ap.parse_args(argv).out_dir
    torch.set_num_threads(1)
    os.makedirs(out_dir, exist_ok=True)
    for name, (options, size, seed_base) in VARIANTS.items():
        make_variant(name, options, size, seed_base, out_dir)
    total = sum(os.path.getsize(os.path.join(out_dir, f)) for f in os.listdir(out_dir))
    print("fixtures in %s: %.2f MB" % (os.path.normpath(out_dir), total / 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
