"""Deterministic random weights for test models, with a well-conditioned refiner.

A refiner with arbitrary random weights is numerically chaotic: its max-pool picks one of
four values per window, and wherever those values are equal or nearly equal (constant
padding, flat regions) rounding noise decides the winner and moves whole activations. Two
measures make the pooling decisions of the test models stable:
  * every encoder layer gets a negative folded bias, so an all-zero region stays exactly zero
    through the encoder (exact ties are then ties of zeros, resolved the same way by any
    implementation, and a moved zero changes nothing);
  * the first layer answers the black padding (the normalised value of 0) with a negative
    value for both label values, so the padding is such a zero region from the first layer on.
`pool_margins` measures what is left: the smallest gap between the two largest values of any
pooling window whose maximum is not negligible.
"""

import torch
import torch.nn as nn

from tools.reference import nets


def _uniform(gen, shape, lo, hi):
    return torch.rand(shape, generator=gen, dtype=torch.float64) * (hi - lo) + lo


def randomize(net, seed, weight_gain=1.0):
    """Kaiming-normal conv weights, small biases, BN with gamma in [0.5,1.5], beta in
    [-0.2,0.2], running_mean in [-0.2,0.2], running_var in [0.5,2]."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.Conv2d):
                # A grouped (depthwise) conv sees in_channels / groups inputs per output.
                fan_in = m.in_channels // m.groups * m.kernel_size[0] * m.kernel_size[1]
                std = weight_gain * (2.0 / fan_in) ** 0.5
                w = torch.randn(m.weight.shape, generator=gen, dtype=torch.float64)
                m.weight.copy_(w * std)
                if m.bias is not None:
                    m.bias.copy_(_uniform(gen, m.bias.shape, -0.1, 0.1))
            elif isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.weight.copy_(_uniform(gen, (c,), 0.5, 1.5))
                m.bias.copy_(_uniform(gen, (c,), -0.2, 0.2))
                m.running_mean.copy_(_uniform(gen, (c,), -0.2, 0.2))
                m.running_var.copy_(_uniform(gen, (c,), 0.5, 2.0))
    return net


def _encoder_units(refine):
    units = []
    for name in ("down1", "down2", "down3", "down4", "down5"):
        block = getattr(refine, name)
        for i in range(block.convs):
            units.append(getattr(block, "conv%d" % (i + 1)).cbr_unit)
    return units


def _worst_padding_response(w, pad):
    """Largest response of a 3x3 first-layer filter to padding pixels: over the nine ways the
    canvas border can cut the window (zero taps outside) and any label values in the window."""
    k = w.shape[-1]
    worst = torch.full((w.shape[0],), -float("inf"), dtype=torch.float64)
    for rows in (slice(0, k), slice(1, k), slice(0, k - 1)):
        for cols in (slice(0, k), slice(1, k), slice(0, k - 1)):
            part = w[:, :, rows, cols]
            rgb = (part[:, :3].sum(dim=(2, 3)) * pad).sum(1)
            label = torch.clamp(part[:, 3], min=0).sum(dim=(1, 2))
            worst = torch.maximum(worst, rgb + label)
    return worst


def calibrate(net, x, seed, var_range=(0.5, 2.0), bn_bias=None, logit_rms=None, max_gain=4.0):
    """One forward pass on x that gives every conv -> BN pair a plausible trained state: the
    conv is rescaled so that its per-channel output std equals sqrt(running_var) (running_var
    drawn from var_range) and running_mean is set near the actual channel mean. Convs that
    end a head (a conv with no BN after it, named in logit_rms: {module name: target RMS}) are
    rescaled to that output RMS. bn_bias(name, bn, conv) may return a new BN bias. Returns
    the network's output."""
    gen = torch.Generator().manual_seed(seed)
    conv_of = {}
    last_conv = None
    names = {}
    for name, m in net.named_modules():
        names[m] = name
        if isinstance(m, nn.Conv2d):
            last_conv = m
        elif isinstance(m, nn.BatchNorm2d):
            conv_of[m] = last_conv

    def bn_hook(bn, inputs):
        (y,) = inputs
        conv = conv_of[bn]
        c = bn.num_features
        if y.numel() // c >= 16:
            mean = y.mean(dim=(0, 2, 3))
            std = y.std(dim=(0, 2, 3)).clamp(min=1e-6)
            # running_mean removes at most 2 std of the channel mean: subtracting a mean much
            # larger than the spread would cancel digits and amplify rounding noise.
            sub = torch.maximum(torch.minimum(mean, 2 * std), -2 * std)
            spread = torch.sqrt(std * std + (mean - sub) ** 2)
            var = _uniform(gen, (c,), *var_range).to(y.dtype)
            # Bounded: a nearly constant channel must not amplify rounding noise either.
            gain = (torch.sqrt(var) / spread).clamp(max_gain ** -1, max_gain)
            conv.weight.mul_(gain.view(-1, 1, 1, 1))
            if conv.bias is not None:
                conv.bias.mul_(gain)
            noise = _uniform(gen, (c,), -0.1, 0.1).to(y.dtype) * torch.sqrt(var)
            bn.running_mean.copy_(sub * gain + noise)
            bn.running_var.copy_(var)
            y = y * gain.view(1, -1, 1, 1)
        if bn_bias is not None:
            new_bias = bn_bias(names[bn], bn, conv)
            if new_bias is not None:
                bn.bias.copy_(new_bias)
        return (y,)

    def head_hook(conv, inputs, out):
        target = logit_rms[names[conv]]
        gain = target / float(torch.sqrt((out * out).mean()).clamp(min=1e-12))
        conv.weight.mul_(gain)
        if conv.bias is not None:
            conv.bias.mul_(gain)
        return out * gain

    hooks = [m.register_forward_pre_hook(bn_hook) for m in conv_of]
    for name, m in net.named_modules():
        if logit_rms and name in logit_rms:
            hooks.append(m.register_forward_hook(head_hook))
    try:
        with torch.no_grad():
            out = net(x)
    finally:
        for h in hooks:
            h.remove()
    return out


def condition_refiner(refine, pad_value, seed, calib_input, bias_range=(0.05, 0.3)):
    """Calibrates the refiner on calib_input ([1,4,H,W], a real refine input), gives every
    encoder layer a negative folded bias and makes the first layer negative on the padding.
    pad_value: the 3 normalised channel values of a black pixel."""
    gen = torch.Generator().manual_seed(seed + 7)
    pad = torch.tensor(list(pad_value), dtype=torch.float64)
    first = refine.down1.conv1.cbr_unit[0]
    with torch.no_grad():
        w = first.weight.double()
        rgb = (w[:, :3].sum(dim=(2, 3)) * pad).sum(1)
        flip = rgb > 0
        w[flip, :3] = -w[flip, :3]
        first.weight.copy_(w)

    def encoder_bias(name, bn, conv):
        if not name.startswith("down"):
            return None
        scale = bn.weight.double() / torch.sqrt(bn.running_var.double() + nets.BN_EPS)
        folded = (conv.bias.double() - bn.running_mean.double()) * scale
        shift = -_uniform(gen, folded.shape, *bias_range)
        if conv is first:
            worst = _worst_padding_response(conv.weight.double(), pad)
            shift = shift - torch.clamp(worst * scale, min=0)
        return (shift - folded).to(bn.bias.dtype)

    calibrate(refine, calib_input.to(first.weight.dtype), seed, bn_bias=encoder_bias,
              logit_rms=None)
    return refine


def pool_margins(refine, refine_in, floor=1e-5, use_float64=True):
    """For each encoder pooling: (windows, min relative gap, risky windows). The gap of a window
    is (largest - second largest) / RMS of that layer, counted only where the largest value
    exceeds floor * RMS (a flip among negligible values moves a negligible value). Risky: gap
    below 1e-4, i.e. within ~100x of float32 rounding noise."""
    results = []
    if use_float64:
        ref64 = nets.RefineNet(refine.cfg).double()
        ref64.load_state_dict(refine.state_dict())
        ref64.eval()
    else:
        ref64 = refine
    x = refine_in.to(next(ref64.parameters()).dtype)
    with torch.no_grad():
        for name in ("down1", "down2", "down3", "down4", "down5"):
            block = getattr(ref64, name)
            for i in range(block.convs):
                x = getattr(block, "conv%d" % (i + 1))(x)
            n, c, h, w = x.shape
            v = x[:, :, :h // 2 * 2, :w // 2 * 2]
            v = v.reshape(n, c, h // 2, 2, w // 2, 2).permute(0, 1, 2, 4, 3, 5).reshape(-1, 4)
            rms = float(torch.sqrt((x * x).mean()))
            top2 = torch.topk(v, 2, dim=1).values
            live = top2[:, 0] > floor * rms
            gaps = (top2[:, 0] - top2[:, 1])[live] / rms
            min_gap = float(gaps.min()) if gaps.numel() else float("inf")
            results.append((name, int(live.sum()), min_gap, int((gaps < 1e-4).sum())))
            x = torch.nn.functional.max_pool2d(x, 2, 2)
    return results


def balance_classes(coarse, xc, class_index=1):
    """Shifts the last bias of cls_head so that the main head's class decision is balanced on
    xc (a random net otherwise tends to call everything one class)."""
    with torch.no_grad():
        out = coarse(xc)[-1]
        diff = out[:, class_index] - out[:, :class_index].max(dim=1).values
        med = float(diff.median())
        coarse.cls_head[3].bias[class_index] -= med
    return med
