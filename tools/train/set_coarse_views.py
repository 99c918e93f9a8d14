#!/usr/bin/python3
"""Copy of a model file with other coarse-net views: the same weights, only the config's
`preprocess.coarse_views.sizes` rewritten (and `coarse_size`, which the sizes must include,
set to their largest when they leave it out), to score other canvases without training
(docs/training-log.md, "other coarse view sizes").

    python3 -m tools.train.set_coarse_views IN.safetensors --sizes 256,320 [--model-version V] \
        -o OUT.safetensors
"""
import argparse
import os

from tools.reference import safetensors_io


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--sizes", required=True, help="comma-separated canvas sizes, e.g. 256,320")
    ap.add_argument("--model-version", help="the version the output's config states "
                    "(default: the input's)")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    try:
        sizes = [int(s) for s in args.sizes.split(",")]
    except ValueError:
        ap.error("--sizes: integers separated by commas")
    if not 1 <= len(sizes) <= 4 or any(s < 32 or s > 16384 or s % 2 for s in sizes):
        ap.error("--sizes: one to four even sizes between 32 and 16384")
    if os.path.exists(args.output) and os.path.samefile(args.output, args.model):
        ap.error("the output must not be the input file")
    cfg = safetensors_io.read_config(args.model)
    cfg["preprocess"].setdefault("coarse_views", {})["sizes"] = sizes
    if cfg["preprocess"]["coarse_size"] not in sizes:
        cfg["preprocess"]["coarse_size"] = max(sizes)
    if args.model_version:
        cfg["version"] = args.model_version
    safetensors_io.rewrite_config(args.model, args.output, cfg)
    print("wrote %s: coarse views %s" % (args.output, sizes))


if __name__ == "__main__":
    main()
