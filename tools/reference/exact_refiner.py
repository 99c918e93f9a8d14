"""A full-size random refiner whose float32 arithmetic is exact, and its input.

Every number the refiner touches is a multiple of a power-of-two grid, and every partial sum
of every convolution stays below 2^24 grid units. Then each conv, BN, ReLU, max-pool and
unpool gives the exact real-number result in float32 whatever the summation order (or FMA,
or BN folding), so two correct implementations agree bit for bit up to the final sigmoid,
and pooling ties are true ties that both resolve the same way (first maximum wins).

Construction, layer by layer on the actual input (all in float64, where it is exact too):
  * input: the normalised picture rounded to multiples of 1/64, plus the 0/1 label;
  * weights: each output channel reads a few (input channel, tap) positions with weight +-1,
    everything else is zero (few terms keep the partial sums small in grid units);
  * BN: one power-of-two scale s per layer, gamma / sqrt(running_var + 1e-5) with
    running_var = 4^k and gamma = 2^k s, k in 19..21: only that large a variance absorbs the
    1e-5 exactly in double as well as in float32, so the float64 reference is exact too
    (a variance near 1 leaves a 1e-8 relative error in double, enough to break exact ties
    between different sums in the pooling windows); conv bias and running_mean multiples of
    the layer's input grid, beta of its output grid, folded bias (b - mean) s + beta exact;
  * biases: encoder outputs keep the upper part of each channel (ReLU keeps part of it),
    decoder outputs are centred; the last layer is scaled to logits of RMS ~1.5.
`build` runs the network as it goes in an independent sparse float64 implementation (exact
too), which gives the partial-sum bounds and logits to check the PyTorch runs against.
"""

import math

import numpy as np
import torch

from tools.reference import nets

INPUT_GRID = 1.0 / 64
FLOAT32_UNITS = 2.0 ** 24
EPS32 = float(np.float32(nets.BN_EPS))
# sqrt(running_var + 1e-5) must be a power of two exactly, in float32 and in double (the
# float64 reference, and a C port folding BN in double): running_var = 4^k with 4^k + 1e-5
# rounding back to 4^k in double, i.e. 1e-5 below half an ulp of 4^k: k >= 19.
VAR_ROOT_LOG2 = (19, 21)

# Taps per output channel: the 13 encoder convs, then the 5 decoder convs. With these the
# largest partial sum on the test photo is ~2^19 grid units (5 bits of margin), the final
# logits lie on a 2^-10 grid and 25-40 % of the encoder activations are live.
DEFAULT_TAPS = [8] + [6] * 16 + [24]


def exact_input(refine_in):
    """[1,4,R,R] float tensor -> float32 tensor: RGB rounded to multiples of 1/64, label kept."""
    x = refine_in.double().clone()
    x[:, :3] = torch.round(x[:, :3] / INPUT_GRID) * INPUT_GRID
    return x.float()


def _layers(refine):
    """[(module path, conv, bn, relu, kind)] in execution order; kind 'down<i>.<j>' or 'up<i>'."""
    out = []
    for name in ("down1", "down2", "down3", "down4", "down5"):
        block = getattr(refine, name)
        for i in range(block.convs):
            unit = getattr(block, "conv%d" % (i + 1)).cbr_unit
            out.append(("%s.conv%d" % (name, i + 1), unit[0], unit[1], True))
    for name in ("up5", "up4", "up3", "up2", "up1"):
        unit = getattr(refine, name).conv.cbr_unit
        out.append(("%s.conv" % name, unit[0], unit[1], False))
    return out


def _pool(x):
    """2x2 max-pool with first-maximum indices (positions 0..3 in the window)."""
    c, h, w = x.shape
    v = x.reshape(c, h // 2, 2, w // 2, 2).transpose(0, 1, 3, 2, 4).reshape(c, h // 2, w // 2, 4)
    idx = np.argmax(v, axis=-1)
    return np.take_along_axis(v, idx[..., None], -1)[..., 0], idx


def _unpool(y, idx):
    c, h, w = y.shape
    z = np.zeros((c, h, w, 4))
    np.put_along_axis(z, idx[..., None], y[..., None], -1)
    return z.reshape(c, h, w, 2, 2).transpose(0, 1, 3, 2, 4).reshape(c, 2 * h, 2 * w)


class SparseConv:
    """Output o = sum over taps t of sign_t * x[chan_t] shifted by (dy_t, dx_t)."""

    def __init__(self, cin, cout, k, taps, rng):
        self.cin, self.cout, self.k = cin, cout, k
        self.taps = []
        for _ in range(cout):
            seen = set()
            while len(seen) < min(taps, cin * k * k):
                seen.add((int(rng.randint(cin)), int(rng.randint(k)), int(rng.randint(k))))
            self.taps.append([(c, dy, dx, float(rng.choice((-1.0, 1.0))))
                              for c, dy, dx in sorted(seen)])

    def apply(self, x, absolute=False):
        c, h, w = x.shape
        p = self.k // 2
        xp = np.pad(np.abs(x) if absolute else x, ((0, 0), (p, p), (p, p)))
        out = np.zeros((self.cout, h, w))
        for o, taps in enumerate(self.taps):
            for ci, dy, dx, sign in taps:
                out[o] += (1.0 if absolute else sign) * xp[ci, dy:dy + h, dx:dx + w]
        return out

    def weight(self):
        w = np.zeros((self.cout, self.cin, self.k, self.k))
        for o, taps in enumerate(self.taps):
            for ci, dy, dx, sign in taps:
                w[o, ci, dy, dx] = sign
        return w


def _round_to(v, q):
    return np.round(v / q) * q


def build(refine, x_in, seed, taps=None):
    """Fills refine (a nets.RefineNet, float32) with exact-arithmetic parameters fitted to
    x_in ([1,4,R,R] output of exact_input). Returns (per-layer report, exact logits [R,R])."""
    taps = taps or DEFAULT_TAPS
    rng = np.random.RandomState(seed)
    layers = _layers(refine)
    assert len(layers) == len(taps)
    x = x_in[0].double().numpy()
    grid = INPUT_GRID
    stack = []
    report = []
    for (name, conv, bn, relu), n in zip(layers, taps):
        if not relu:
            x = _unpool(x, stack.pop())
        sc = SparseConv(conv.in_channels, conv.out_channels, conv.kernel_size[0], n, rng)
        z = sc.apply(x)
        bound = sc.apply(x, absolute=True)
        zs = z.reshape(sc.cout, -1)
        sigma = max(float(zs.std()), grid)
        if name == "up1.conv":
            log2s = int(round(math.log2(1.5 / sigma)))
        else:
            log2s = int(round(math.log2(1.0 / sigma)))
        s = 2.0 ** log2s
        grid_out = grid * s
        mu = zs.mean(axis=1)
        sd = zs.std(axis=1)
        if relu:
            shift = -(mu + rng.uniform(-0.3, 1.0, sc.cout) * sd)
        else:
            shift = -mu + rng.uniform(-0.3, 0.3, sc.cout) * sd
        # Folded bias T = shift * s on a grid of ~1/16 of the output spread (never finer than
        # the layer's output grid); half of it through running_mean, half through beta.
        q_out = max(grid_out, 2.0 ** math.floor(math.log2(max(s * sigma, grid_out) / 16)))
        t = _round_to(shift * s, q_out)
        a_pre = _round_to(t / (2 * s), grid)
        beta = t - a_pre * s
        conv_bias = _round_to(rng.uniform(-0.5, 0.5, sc.cout) * sd, grid)
        mean = conv_bias - a_pre
        root_log2 = rng.randint(VAR_ROOT_LOG2[0], VAR_ROOT_LOG2[1] + 1, sc.cout)
        var = 4.0 ** root_log2
        gamma = 2.0 ** root_log2 * s
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(sc.weight()))
            conv.bias.copy_(torch.from_numpy(conv_bias))
            bn.weight.copy_(torch.from_numpy(gamma))
            bn.bias.copy_(torch.from_numpy(beta))
            bn.running_mean.copy_(torch.from_numpy(mean))
            bn.running_var.copy_(torch.from_numpy(var))
        y = z * s + t[:, None, None]
        extra = (np.abs(conv_bias) + np.abs(mean) + np.abs(beta) / s)[:, None, None]
        units = float((bound + extra).max()) / grid
        if relu:
            y = np.maximum(y, 0.0)
        report.append({"layer": name, "taps": n, "scale_log2": log2s,
                       "grid_log2": math.log2(grid_out),
                       "units_log2": math.log2(max(units, 1.0)),
                       "live": float((y > 0).mean()) if relu else float((y != 0).mean()),
                       "rms": float(np.sqrt((y * y).mean()))})
        grid = grid_out
        x = y
        if name in ("down1.conv2", "down2.conv2", "down3.conv3", "down4.conv3", "down5.conv3"):
            x, idx = _pool(y)
            stack.append(idx)
    return report, x[0]


def check_folding(refine):
    """Each BN folded the way a C port does it (double scale, float32 result), and its scale
    as torch float32 and float64 compute it, must be exactly the power of two (and the folded
    bias exact). Returns the names of the layers where not."""
    bad = []
    for name, conv, bn, _ in _layers(refine):
        g = bn.weight.detach().double().numpy()
        v = bn.running_var.detach().float().numpy()
        m = bn.running_mean.detach().double().numpy()
        beta = bn.bias.detach().double().numpy()
        b = conv.bias.detach().double().numpy()
        scale64 = g / np.sqrt(v.astype(np.float64) + EPS32)
        scale32 = (np.float32(1) / np.sqrt(v + np.float32(EPS32))) * g.astype(np.float32)
        scale_torch64 = g / np.sqrt(v.astype(np.float64) + nets.BN_EPS)
        exact_scale = g / np.sqrt(v.astype(np.float64) + EPS32)
        exact_scale = 2.0 ** np.round(np.log2(exact_scale))
        exact_bias = (b - m) * exact_scale + beta
        w = conv.weight.detach().double().numpy().reshape(len(g), -1)
        folded_w = (w * scale64[:, None]).astype(np.float32)
        folded_b = ((b - m) * scale64 + beta).astype(np.float32)
        ok = np.array_equal(folded_w.astype(np.float64), w * exact_scale[:, None])
        ok = ok and np.array_equal(folded_b.astype(np.float64), exact_bias)
        ok = ok and np.array_equal(scale32.astype(np.float64), exact_scale)
        ok = ok and np.array_equal(scale_torch64, exact_scale)
        if not ok:
            bad.append(name)
    return bad
