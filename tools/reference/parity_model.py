"""A full-size random model for tools/parity.sh.

Usage: parity_model.py PICTURE -o MODEL.safetensors [--seed N] [--fixture DIR]
Full widths and canvases (default_config: coarse 640, refine 1280), random weights with the
same conditioning as the test fixtures (layers calibrated on PICTURE, refiner encoder with
negative folded biases -- here -0.5 to -1.5 std -- so that the black padding is an exact-zero
region and few pooling windows are live), float32.
--fixture DIR also writes DIR/full.safetensors and DIR/full_io.safetensors (the reference's
stage tensors on PICTURE, layout of tests/data/nets) for SC_NETS_FIXTURES=DIR test_nets_parity.
"""

import argparse
import os
import shutil
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export  # noqa: E402
import fixtures_common as fc  # noqa: E402
import infer  # noqa: E402
import nets  # noqa: E402
import safetensors_io  # noqa: E402


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("picture")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--seed", type=int, default=20260)
    ap.add_argument("--fixture", help="also write a stage-wise fixture folder here")
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    cfg = nets.default_config()
    cfg["name"] = "parity-random"
    start = time.time()
    picture = infer.read_picture(args.picture)
    # Strongly negative encoder biases: 6x fewer live pooling windows than the fixtures' setting,
    # hence fewer near-ties among the millions of full-size windows.
    coarse, refine = fc.build_models(cfg, args.seed, picture, bias_range=(0.5, 1.5))
    export.export_model(coarse, refine, cfg, args.output)
    print("wrote %s (%.0f s)" % (args.output, time.time() - start))
    if args.fixture:
        os.makedirs(args.fixture, exist_ok=True)
        shutil.copyfile(args.output, os.path.join(args.fixture, "full.safetensors"))
        stages = infer.infer_mask(coarse, refine, picture, cfg["preprocess"])
        tensors = {k: stages[k] for k in ("x", "xc", "out_aux", "out", "logits_up", "label",
                                          "refine_in", "refine_logits", "alpha")}
        safetensors_io.write(os.path.join(args.fixture, "full_io.safetensors"), tensors,
                             {"format": "skychange-fixture", "config": cfg["name"]})
        print("wrote %s/full_io.safetensors" % args.fixture)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
