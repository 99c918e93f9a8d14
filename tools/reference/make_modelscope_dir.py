"""Build synthetic ModelScope-style model directories (for testing the converter).

Each directory looks like the hub's damo/cv_hrnetocr_skychange: pytorch_model.pt (coarse),
unet_sky_matting_final_model.pkl (refine), both {"model_state": state_dict} with the
original key names (prefix `module.`, `module.model.` or none), and a configuration.json laid
out like upstream's (model.coarse_cfg.Model / model.refine_cfg.Model / preprocessor). Weights
are random (tiny widths), drawn like the test fixtures until the mask inference of the
directory's picture (written as picture.png) is numerically stable. The reference config is
written alongside as reference_config.json.

Usage: make_modelscope_dir.py OUT_DIR [--variant NAME ...] [--no-dilations NAME]
  --no-dilations NAME  also writes NAME_nodil/: like NAME but configuration.json lacks the
                       ASPP dilations (the converter must refuse it).
"""

import argparse
import copy
import json
import os
import sys
from collections import OrderedDict

import cv2
import torch

from tools.reference import fixtures_common as fc
from tools.reference import make_fixtures

PREFIXES = ["module.", "module.model.", ""]


def stage_param(stage):
    return {"NUM_MODULES": stage["modules"], "NUM_BRANCHES": len(stage["channels"]),
            "BLOCK": stage["block"], "NUM_BLOCKS": list(stage["blocks"]),
            "NUM_CHANNELS": list(stage["channels"]), "FUSE_METHOD": "SUM"}


def upstream_configuration(cfg, with_dilations=True):
    """configuration.json in the hub's layout, from a reference config."""
    c = cfg["coarse"]
    coarse = {"version": "w18v2" if c["stem_channels"] == 64 else "test-%s" % cfg["name"],
              "architecture": "hrnet_super_ocr" if c["architecture"] == "super_first"
              else "hrnet_ocr_super",
              "class_num": c["class_num"],
              "ocr": {"mid_channels": c["ocr"]["mid"], "key_channels": c["ocr"]["key"],
                      "dropout_rate": 0.05, "scale": c["ocr"]["scale"]},
              "super_param": stage_param(c["super"])}
    if c["tail"]:
        coarse["tail_param"] = {"BLOCK": c["tail"]["block"], "NUM_BLOCKS": [c["tail"]["blocks"]],
                                "NUM_CHANNELS": [c["tail"]["channels"]]}
    if c["aspp"]:
        coarse["aspp"] = {"outplanes": c["aspp"]["out"], "drop_rate": 0.1}
        if with_dilations:
            coarse["aspp"]["dilations"] = list(c["aspp"]["dilations"])
    r = cfg["refine"]
    refine = {"n_classes": 1, "in_channels": r["in_channels"], "is_unpooling": True,
              "pretrain": False}
    if r["aspp"]:
        refine["aspp"] = {"outplanes": r["aspp"]["out"], "drop_rate": 0.1}
        if with_dilations:
            refine["aspp"]["dilations"] = list(r["aspp"]["dilations"])
    pre = cfg["preprocess"]
    return {"framework": "pytorch", "task": "image-skychange",
            "pipeline": {"type": "image-skychange"},
            "model": {"type": "image-skychange", "coarse_cfg": {"Model": coarse},
                      "refine_cfg": {"Model": refine}},
            "preprocessor": {"type": "image-sky-change-preprocessor",
                             "coarse_model_width": pre["coarse_size"],
                             "coarse_model_height": pre["coarse_size"],
                             "refine_model_width": pre["refine_size"],
                             "refine_model_height": pre["refine_size"],
                             "mean_vec": pre["mean"], "std_vec": pre["std"]}}


def save_checkpoint(path, state, prefix):
    torch.save({"model_state": OrderedDict((prefix + k, v) for k, v in state.items()),
                "epoch": 1}, path)


def write_dir(out, cfg, coarse, refine, picture, prefix, with_dilations=True):
    os.makedirs(out, exist_ok=True)
    save_checkpoint(os.path.join(out, "pytorch_model.pt"), coarse.state_dict(), prefix)
    save_checkpoint(os.path.join(out, "unet_sky_matting_final_model.pkl"), refine.state_dict(),
                    prefix)
    with open(os.path.join(out, "configuration.json"), "w") as f:
        json.dump(upstream_configuration(cfg, with_dilations), f, indent=2)
    with open(os.path.join(out, "reference_config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    cv2.imwrite(os.path.join(out, "picture.png"), cv2.cvtColor(picture, cv2.COLOR_RGB2BGR))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--variant", action="append",
                    choices=sorted(make_fixtures.ORIGINAL_VARIANTS), help="default: all")
    ap.add_argument("--no-dilations", action="append", default=[])
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    names = args.variant or make_fixtures.ORIGINAL_VARIANTS
    for i, name in enumerate(names):
        options, size, seed = make_fixtures.VARIANTS[name]
        cfg = fc.tiny_config(name, **copy.deepcopy(options))
        picture = fc.synthetic_picture(size[0], size[1], seed + 7)
        coarse, refine, _, _, _ = fc.find_stable_models(cfg, picture, seed + 500)
        prefix = PREFIXES[i % len(PREFIXES)]
        write_dir(os.path.join(args.out_dir, name), cfg, coarse, refine, picture, prefix)
        if name in args.no_dilations:
            write_dir(os.path.join(args.out_dir, name + "_nodil"), cfg, coarse, refine, picture,
                      prefix, with_dilations=False)
        print("%s: prefix %r, picture %dx%d" % (name, prefix, size[0], size[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
