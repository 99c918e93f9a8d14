#!/usr/bin/python3
"""Weight average of two model files of the same architecture ("model soup"): every float
tensor is (1 - w) * A + w * B; the metadata (config) is B's. For two links of one chain
(B fine-tuned from A), a point between them can keep most of what B learned while giving
back part of what B lost.

    python3 -m tools.train.average_models A.safetensors B.safetensors --weight 0.5 \
        -o OUT.safetensors
"""
import argparse
import json
import sys

import numpy as np

from tools.reference import safetensors_io


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--weight", type=float, required=True, help="weight of B, 0..1")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--model-version", help="the version the output's config states "
                    "(default: B's)")
    args = ap.parse_args()
    if not 0 <= args.weight <= 1:
        ap.error("--weight must be in 0..1")
    ta, meta_a = safetensors_io.read(args.a)
    tb, meta_b = safetensors_io.read(args.b)
    if set(ta) != set(tb):
        sys.exit("average_models.py: the two files hold different tensors")
    # The version the config states names the file, not the architecture.
    configs = [dict(safetensors_io.read_config(path), version=None) for path in (args.a, args.b)]
    if configs[0] != configs[1]:
        sys.exit("average_models.py: the two files have different configs")
    w = np.float32(args.weight)
    out = {}
    for name in sorted(ta, key=list(tb).index):
        if ta[name].shape != tb[name].shape:
            sys.exit("average_models.py: %s: shapes %s and %s" % (name, ta[name].shape,
                                                                  tb[name].shape))
        if ta[name].dtype.kind == "f":
            out[name] = (1 - w) * ta[name] + w * tb[name]
        elif np.array_equal(ta[name], tb[name]):
            out[name] = tb[name]
        else:
            sys.exit("average_models.py: %s: integer tensors differ" % name)
    stored = {info["dtype"] for key, info in safetensors_io._read_raw(args.b)[0].items()
              if key != "__metadata__"}
    if args.model_version:
        cfg = json.loads(meta_b["config"])
        cfg["version"] = args.model_version
        meta_b = dict(meta_b, config=json.dumps(cfg, separators=(",", ":")))
    safetensors_io.write(args.output, out, meta_b, "F16" if "F16" in stored else None)
    print("wrote %s: %.2f x %s + %.2f x %s" % (args.output, 1 - w, args.a, w, args.b))


if __name__ == "__main__":
    main()
