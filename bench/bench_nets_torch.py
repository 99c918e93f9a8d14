#!/usr/bin/python3
"""The two networks in the PyTorch reference (tools/reference/nets.py) at full size, timed
per section like bench_nets, for the C/PyTorch ratio. CPU, float32, eval mode.

Usage: bench_nets_torch.py [--threads N] [--only coarse|refine]
"""

import argparse
import os
import resource
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))  # the repository root: the tools package
from tools.reference import nets  # noqa: E402
from tools.reference import randinit  # noqa: E402

COARSE_SECTIONS = ["conv1", "conv2", "layer1", "transition1", "stage2", "transition2", "stage3",
                   "transition3", "stage4", "stage_tail", "stage_super", "aspp_layer",
                   "aux_head", "conv3x3_ocr", "ocr_distri_head", "cls_head"]
REFINE_SECTIONS = ["down1", "down2", "aspp_layer", "down3", "down4", "down5", "up5", "up4",
                   "up3", "conv_1x1_aspp", "up2", "up1"]


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def timed_run(net, x, sections):
    """One forward pass; wall time of each named child, plus its conv multiply-adds. A child
    that the network never calls as a whole (HR stages and transitions are lists whose items
    are called one by one) is timed as the sum of its direct children."""
    own, parts, macs, starts, hooks = {}, {}, {}, {}, []

    def timer(key, table):
        def pre(m, inp):
            starts[key] = time.perf_counter()

        def post(m, inp, out):
            table[key[0]] = table.get(key[0], 0.0) + time.perf_counter() - starts[key]
        return pre, post

    for name in sections:
        child = getattr(net, name, None)
        if child is None:
            continue
        watched = [(child, (name, "self"), own)]
        watched += [(kid, (name, i), parts) for i, kid in enumerate(child.children())]
        for module, key, table in watched:
            pre, post = timer(key, table)
            hooks.append(module.register_forward_pre_hook(pre))
            hooks.append(module.register_forward_hook(post))
        for m in child.modules():
            if isinstance(m, torch.nn.Conv2d):
                def count(mod, inp, out, name=name):
                    macs[name] = macs.get(name, 0) + out.numel() * (
                        mod.in_channels // mod.groups) * mod.kernel_size[0] * mod.kernel_size[1]
                hooks.append(m.register_forward_hook(count))
    t0 = time.perf_counter()
    with torch.no_grad():
        net(x)
    wall = time.perf_counter() - t0
    for h in hooks:
        h.remove()
    times = {name: own.get(name, parts.get(name)) for name in sections
             if name in own or name in parts}
    return wall, times, macs


def report(title, wall, times, macs):
    print("\n%s: %.3f s wall" % (title, wall))
    print("  %-16s %9s %9s %9s" % ("section", "s", "GMAC", "GFLOP/s"))
    total_macs = 0
    for name, t in times.items():
        m = macs.get(name, 0)
        total_macs += m
        print("  %-16s %9.3f %9.2f %9.1f" % (name, t, m / 1e9, 2 * m / t / 1e9 if t > 0 else 0))
    print("  %-16s %9.3f %9.2f %9.1f" % ("total", wall, total_macs / 1e9,
                                          2 * total_macs / wall / 1e9))
    print("  process peak RSS so far %.1f MB" % peak_rss_mb())


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", choices=["coarse", "refine"])
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    cfg = nets.modelscope_config()
    pre = cfg["preprocess"]
    print("torch %s, %d threads, coarse %d / refine %d" % (torch.__version__,
          torch.get_num_threads(), pre["coarse_size"], pre["refine_size"]))
    gen = torch.Generator().manual_seed(1)
    if args.only in (None, "refine"):
        refine = randinit.randomize(nets.RefineNet(cfg), 2).eval()
        x = torch.rand((1, 4, pre["refine_size"], pre["refine_size"]), generator=gen) * 4 - 2
        wall, times, macs = timed_run(refine, x, REFINE_SECTIONS)
        report("refine network at %dx%d" % ((pre["refine_size"],) * 2), wall, times, macs)
        del refine, x
    if args.only in (None, "coarse"):
        coarse = randinit.randomize(nets.CoarseNet(cfg), 1).eval()
        x = torch.rand((1, 3, pre["coarse_size"], pre["coarse_size"]), generator=gen) * 4 - 2
        wall, times, macs = timed_run(coarse, x, COARSE_SECTIONS)
        report("coarse network at %dx%d" % ((pre["coarse_size"],) * 2), wall, times, macs)
    print("\npeak RSS %.1f MB" % peak_rss_mb())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
