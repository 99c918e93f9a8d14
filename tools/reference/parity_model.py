"""A full-size random model and its float64 reference stage tensors, for tools/parity.sh.

Usage: parity_model.py PICTURE --fixture DIR [--seed N] [--max-gain G] [--sizes 640 1280]
Writes DIR/full.safetensors (full widths, coarse 640 / refine 1280, float32 weights),
DIR/full_io.safetensors (stage tensors in the layout of tests/data/nets, for
SC_NETS_FIXTURES=DIR test_nets_parity) and DIR/reference.json (the figures printed here).

Coarse net: random weights calibrated on PICTURE (BN running_var in [0.5, 2], conv gains
bounded by --max-gain), classes balanced. Its reference is the same network converted to
float64, run on the float32 xc; `out`, `logits_up` and `label` come from that run.
Refiner: exact in float32 (exact_refiner.py) on refine_in = (x rounded to multiples of 1/64,
float64 label). Its reference alpha is the float64 run.
"""

import argparse
import copy
import json
import os
import sys
import time

import numpy as np
import torch

from tools.reference import exact_refiner
from tools.reference import export
from tools.reference import fixtures_common as fc
from tools.reference import infer
from tools.reference import nets
from tools.reference import randinit
from tools.reference import safetensors_io

TIE_MARGIN = 1e-4  # top-2 logit gap relative to max |logit|, as tests/nets/test_nets_parity.c
ALPHA_F32_F64_LIMIT = 1e-6


class Clock:
    def __init__(self):
        self.start = time.time()

    def lap(self, what):
        now = time.time()
        print("  [%s: %.0f s]" % (what, now - self.start), flush=True)
        self.start = now


def build_coarse(cfg, seed, x, max_gain):
    pre = cfg["preprocess"]
    coarse = randinit.randomize(nets.CoarseNet(cfg), seed).eval()
    xc = infer.bilinear_ac(x, pre["coarse_size"])
    randinit.calibrate(coarse, xc, seed + 3, logit_rms={"aux_head.3": 3.0, "cls_head.3": 3.0},
                       max_gain=max_gain)
    randinit.balance_classes(coarse, xc)
    return coarse


def banded_convs(net, budget=256 << 20):
    """Makes every conv of net run over bands of output rows: PyTorch's float64 CPU
    convolution unfolds the whole input (im2col), 21 GB for the refiner's last layer at 1280."""
    for conv in net.modules():
        if not isinstance(conv, torch.nn.Conv2d):
            continue

        def forward(x, conv=conv):
            k, p = conv.kernel_size[0], conv.padding[0]
            assert conv.stride == (1, 1) and conv.dilation == (1, 1) and conv.kernel_size[1] == k
            per_row = conv.in_channels * k * k * x.shape[3] * x.element_size()
            rows = max(1, budget // per_row)
            xp = torch.nn.functional.pad(x, (p, p, p, p))
            h = x.shape[2]
            return torch.cat([torch.nn.functional.conv2d(xp[:, :, r:min(h, r + rows) + k - 1],
                                                         conv.weight, conv.bias)
                              for r in range(0, h, rows)], 2)
        conv.forward = forward
    return net


def rel_diff(a, ref):
    a = np.asarray(a, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    d = float(np.abs(a - ref).max())
    return d, d / max(float(np.abs(ref).max()), 1e-30)


def near_ties(logits_up):
    """[1,K,R,R] -> boolean [R,R]: top-2 gap <= TIE_MARGIN * max |logit|."""
    srt = np.sort(logits_up[0], axis=0)
    return (srt[-1] - srt[-2]) <= TIE_MARGIN * float(np.abs(logits_up).max())


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("picture")
    ap.add_argument("--fixture", required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=20260)
    ap.add_argument("--max-gain", type=float, default=4.0,
                    help="bound on the coarse calibration's per-channel conv gain")
    ap.add_argument("--sizes", type=int, nargs=2, default=(640, 1280),
                    metavar=("COARSE", "REFINE"), help="canvases (smaller: a quick trial)")
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    os.makedirs(args.fixture, exist_ok=True)
    cfg = nets.modelscope_config()
    cfg["name"] = "parity-full-exact-refiner"
    pre = cfg["preprocess"]
    pre["coarse_size"], pre["refine_size"] = args.sizes
    clock = Clock()
    figures = {}
    ok = True

    picture = infer.read_picture(args.picture)
    x = infer.preprocess(picture, pre)["x"]
    coarse = build_coarse(cfg, args.seed, x, args.max_gain)
    clock.lap("coarse model calibrated")

    xc = infer.bilinear_ac(x, pre["coarse_size"])
    with torch.no_grad():
        aux32, out32 = coarse(xc)
        clock.lap("coarse float32")
        c64 = fc.as_float64(coarse, nets.CoarseNet)
        aux64, out64 = c64(xc.double())
        clock.lap("coarse float64")
        lu64 = infer.bilinear_ac(out64, pre["refine_size"])
        lu32 = infer.bilinear_ac(out32, pre["refine_size"])
    label64 = torch.argmax(lu64, dim=1, keepdim=True)
    label32 = torch.argmax(lu32, dim=1, keepdim=True)
    ties = near_ties(lu64.numpy())
    differ = (label64 != label32).numpy()[0, 0]
    figures["coarse"] = {
        "torch_f32_vs_f64_out": rel_diff(out32, out64),
        "out_max_abs": float(out64.abs().max()),
        "near_tie_pixels": int(ties.sum()),
        "torch_f32_label_differences": int(differ.sum()),
        "torch_f32_label_differences_not_near_tie": int((differ & ~ties).sum()),
        "sky_fraction": float(label64.double().mean()),
    }
    print("coarse reference (float64): max |out| %.3f, label 1 on %.1f %% of the canvas, "
          "%d near-tie pixels (top-2 gap <= %.0e x max |logit|)"
          % (figures["coarse"]["out_max_abs"], 100 * figures["coarse"]["sky_fraction"],
             figures["coarse"]["near_tie_pixels"], TIE_MARGIN))
    print("  torch float32 vs float64: out max abs diff %.2e, relative %.2e; label differences "
          "%d (%d not near-tie)" % (*figures["coarse"]["torch_f32_vs_f64_out"],
                                    figures["coarse"]["torch_f32_label_differences"],
                                    figures["coarse"]["torch_f32_label_differences_not_near_tie"]))

    refine_in = exact_refiner.exact_input(torch.cat([x, label64.float()], 1))
    refine = nets.RefineNet(cfg).eval()
    layers, exact_logits = exact_refiner.build(refine, refine_in, args.seed + 2)
    clock.lap("exact refiner built (sparse float64)")
    bad_folding = exact_refiner.check_folding(refine)
    max_units = max(r["units_log2"] for r in layers)
    print("refiner: per layer taps, BN scale, output grid, largest partial sum in grid units "
          "(log2; exact in float32 below 24), live fraction, RMS")
    for r in layers:
        print("  %-12s %2d taps  scale 2^%-3d grid 2^%-4d units 2^%5.2f  live %5.1f %%  rms %.3f"
              % (r["layer"], r["taps"], r["scale_log2"], r["grid_log2"], r["units_log2"],
                 100 * r["live"], r["rms"]))
    with torch.no_grad():
        rl32 = banded_convs(copy.deepcopy(refine)).forward_logits(refine_in)
        clock.lap("refiner float32")
        r64 = banded_convs(fc.as_float64(refine, nets.RefineNet))
        rl64 = r64.forward_logits(refine_in.double())
        clock.lap("refiner float64")
    alpha32 = torch.clamp(torch.sigmoid(rl32), 0, 1).numpy()
    alpha64 = torch.clamp(torch.sigmoid(rl64), 0, 1).numpy()
    exact_equal = bool(np.array_equal(rl32[0].double().numpy(), exact_logits))
    a = alpha64[0]
    figures["refine"] = {
        "max_units_log2": max_units,
        "folding_inexact_layers": bad_folding,
        "torch_f32_logits_equal_exact": exact_equal,
        "torch_f32_vs_f64_logits": rel_diff(rl32, rl64),
        "torch_f32_vs_f64_alpha": rel_diff(alpha32, alpha64),
        "alpha_min": float(a.min()), "alpha_max": float(a.max()), "alpha_std": float(a.std()),
        "alpha_percentiles_5_50_95": [float(v) for v in np.percentile(a, [5, 50, 95])],
        "alpha_fraction_in_0.05_0.95": float(((a > 0.05) & (a < 0.95)).mean()),
        "alpha_distinct_values": int(np.unique(alpha32).size),
        "layers": layers,
    }
    f = figures["refine"]
    checks = [
        ("refiner partial sums below 2^24 grid units (largest 2^%.2f)" % max_units,
         max_units < 24),
        ("BN folding exact (C-style double fold; torch float32 and float64 scales): %s"
         % ("all layers" if not bad_folding else "inexact in " + ", ".join(bad_folding)),
         not bad_folding),
        ("torch float32 refine logits bit-identical to the exact sparse float64 ones",
         exact_equal),
        ("torch float32 vs float64 alpha max abs diff %.2e (limit %.0e)"
         % (f["torch_f32_vs_f64_alpha"][0], ALPHA_F32_F64_LIMIT),
         f["torch_f32_vs_f64_alpha"][0] <= ALPHA_F32_F64_LIMIT),
    ]
    print("alpha (float64 reference): min %.4f max %.4f std %.4f, percentiles 5/50/95 "
          "%.4f/%.4f/%.4f, %.1f %% of pixels in (0.05, 0.95), %d distinct float32 values"
          % (f["alpha_min"], f["alpha_max"], f["alpha_std"], *f["alpha_percentiles_5_50_95"],
             100 * f["alpha_fraction_in_0.05_0.95"], f["alpha_distinct_values"]))
    print("  torch float32 vs float64 refine logits max abs diff %.2e (relative %.2e)"
          % f["torch_f32_vs_f64_logits"])
    for text, passed in checks:
        print("%s reference: %s" % ("PASS" if passed else "FAIL", text))
        ok = ok and passed
    figures["reference_checks_pass"] = ok

    model_path = os.path.join(args.fixture, "full.safetensors")
    export.export_model(coarse, refine, cfg, model_path)
    f32 = lambda t: torch.as_tensor(t).float()  # noqa: E731
    tensors = {"x": f32(x), "xc": f32(xc), "out_aux": f32(aux64), "out": f32(out64),
               "logits_up": f32(lu64), "label": f32(label64), "refine_in": f32(refine_in),
               "refine_logits": f32(rl64), "alpha": f32(alpha64)}
    safetensors_io.write(os.path.join(args.fixture, "full_io.safetensors"), tensors,
                         {"format": "skychange-fixture", "config": cfg["name"],
                          "reference": "float64"})
    with open(os.path.join(args.fixture, "reference.json"), "w") as fh:
        json.dump(figures, fh, indent=1)
    print("wrote %s, full_io.safetensors, reference.json" % model_path)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
