"""Checks nets.py against the original's published shapes.

Usage: python3 -m tools.reference.check_keys [KEY_LIST]
       (default /work/shared/docs/skychange-statedict-backbone-w18v2.txt)
1. The ModelScope config's CoarseNet state dict starts with exactly the backbone entries of the
   key list (names, order and shapes; 864 entries incl. num_batches_tracked).
2. Parameter counts and MACs of the spec's table (section 2.11, 3.4) for six coarse variants
   and the refiner with and without ASPP.
Exit status 1 on any mismatch.
"""

import argparse
import os
import sys

from tools.reference import nets

KEY_LIST = "/work/shared/docs/skychange-statedict-backbone-w18v2.txt"
TAIL = {"block": "BOTTLENECK", "blocks": 1, "channels": 64}
# architecture, tail, super channels, M, Kc -> params (millions, 2 decimals), GMAC (1 decimal)
TABLE = [("super_first", None, (64, 128), 512, 256, 7.73, 305.7),
         ("super_first", TAIL, (64, 128), 512, 256, 7.86, 308.9),
         ("super_first", TAIL, (32, 64), 256, 128, 5.46, 133.3),
         ("ocr_first", None, (64, 128), 512, 256, 8.11, 126.4),
         ("ocr_first", TAIL, (64, 128), 512, 256, 8.20, 128.7),
         ("ocr_first", TAIL, (32, 64), 256, 128, 6.00, 69.1)]


def params(net):
    return sum(p.numel() for p in net.parameters())


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("key_list", nargs="?", default=KEY_LIST,
                    help="the original's state-dict keys and shapes, one a line")
    path = ap.parse_args(argv).key_list
    want = []
    with open(path) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                key, shape = line.split(" ", 1)
                want.append((key, [int(v) for v in shape.strip(" []\n").split(",") if v.strip()]))
    cfg = nets.modelscope_config()
    have = [(k, list(v.shape)) for k, v in nets.CoarseNet(cfg).state_dict().items()][:len(want)]
    bad = [(w, h) for w, h in zip(want, have) if w != h]
    ok = not bad and len(have) == len(want)
    print("backbone: %d entries of %s, %d differ" % (len(want), os.path.basename(path), len(bad)))
    for w, h in bad[:10]:
        print("  want %s %s, have %s %s" % (w[0], w[1], h[0], h[1]))
    for arch, tail, sup, mid, key, p_want, g_want in TABLE:
        c = nets.modelscope_config()
        c["coarse"].update(architecture=arch, tail=tail)
        c["coarse"]["super"]["channels"] = list(sup)
        c["coarse"]["ocr"].update(mid=mid, key=key)
        p = params(nets.CoarseNet(c)) / 1e6
        g = nets.count_macs(c)[0] / 1e9
        # count_macs leaves out the OCR matrix products (0.2 G) and scales ASPP's pooled conv
        good = round(p, 2) == p_want and abs(g - g_want) < 0.4
        ok = ok and good
        print("%-11s tail %-3s super %-9s M/Kc %d/%d: %.2f M params (spec %.2f), %.1f GMAC conv "
              "(spec %.1f) %s" % (arch, "yes" if tail else "no", sup, mid, key, p, p_want, g,
                                  g_want, "ok" if good else "MISMATCH"))
    for aspp, want_p in ((None, 25582595), ({"out": 128, "dilations": [1, 6, 12, 18]}, 26174339)):
        c = nets.modelscope_config()
        c["refine"]["aspp"] = aspp
        p = params(nets.RefineNet(c))
        ok = ok and p == want_p
        print("refine aspp %-3s: %d params (spec %d)" % ("yes" if aspp else "no", p, want_p))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
