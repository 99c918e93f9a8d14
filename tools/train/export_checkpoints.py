"""Export the current (possibly unfinished) stage checkpoints of a training run to a model file,
for looking at a run while it trains:

    python3 -m tools.train.export_checkpoints RUN_DIR -o model.safetensors

The coarse weights come from the second cycle's checkpoint once it exists (--coarse-stage),
the refiner's from the run's, from --refine-ckpt (to pair a coarse-only run with the refiner
of another) or from the model file --refine-from (a run trained with --refine-from)."""
import argparse
import json
import os
import sys

import torch

from tools.reference import export
from tools.train import train

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", help="training output folder (coarse.ckpt, refine.ckpt)")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--config", default=os.path.join(HERE, "default_config.json"))
    ap.add_argument("--coarse-stage", choices=["auto", "coarse", "coarse-tune"], default="auto",
                    help="auto: coarse-tune when its checkpoint exists, else coarse")
    ap.add_argument("--coarse-ckpt", help="this coarse checkpoint instead of the run's "
                    "(one kept by train.py --keep-every)")
    ap.add_argument("--views", help="comma-separated coarse view sizes (each also mirrored) "
                    "instead of the config's, as train.py --export-views")
    refiner = ap.add_mutually_exclusive_group()
    refiner.add_argument("--refine-ckpt",
                         help="refiner checkpoint (default: RUN_DIR/refine.ckpt)")
    refiner.add_argument("--refine-from", metavar="MODEL", help="the refiner of this model file")
    args = ap.parse_args()
    with open(args.config) as f:
        cfg = json.load(f)
    states = {}
    coarse_stage = args.coarse_stage
    if coarse_stage == "auto":
        tuned = os.path.exists(os.path.join(args.run, "coarse-tune.ckpt"))
        coarse_stage = "coarse-tune" if tuned else "coarse"
    if args.views:
        sizes = [int(v) for v in args.views.split(",")]
        cfg["preprocess"]["coarse_size"] = sizes[0]
        cfg["preprocess"]["coarse_views"] = {"sizes": sizes, "flip": True}
    paths = {"coarse": args.coarse_ckpt or os.path.join(args.run, coarse_stage + ".ckpt")}
    if args.refine_from:
        states["refine"] = train.refiner_of(args.refine_from, cfg)
    else:
        paths["refine"] = args.refine_ckpt or os.path.join(args.run, "refine.ckpt")
    for stage, path in paths.items():
        try:
            ck = torch.load(path, map_location="cpu")
        except (OSError, RuntimeError, EOFError) as e:
            sys.exit("export_checkpoints.py: %s: %s" % (path, e))
        states[stage] = ck["net"]
        print("%s: step %d, %.1f min%s" % (path, ck["step"], ck["elapsed"] / 60,
                                           ", finished" if ck["done"] else ""))
    export.export_states(states["coarse"], states["refine"], cfg, args.output, f16=True)
    print("wrote %s" % args.output)


if __name__ == "__main__":
    main()
