"""PyTorch reference of the two skychange networks, written from the specification.

CoarseNet(cfg["coarse"]) is the HRNet + super stage + ASPP + OCR segmenter (spec section 2),
RefineNet(cfg["refine"]) the SegNet-style refiner with pooling indices (spec section 3).
Module attribute names are chosen so that state_dict() keys and shapes are exactly those of
the original checkpoints; checkpoints therefore load with load_state_dict(strict=True).

`cfg` is the parsed config JSON of docs/model-format.md. Both networks accept either the
whole config (they pick their section) or the section itself.
"""

import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

from tools.reference.canvas import IMAGENET_MEAN, IMAGENET_STD

BN_EPS = 1e-5


def modelscope_config():
    """The full-size configuration of the original ModelScope model, damo/cv_hrnetocr_skychange
    (spec sections 1.1, 2.1, 3.1): an HRNet-W18-v2 coarse net. Not the configuration of the
    model this project ships, which is tools/train/default_config.json."""
    return copy.deepcopy({
        "name": "modelscope-cv_hrnetocr_skychange",
        "version": "1",
        "preprocess": {"coarse_size": 640, "refine_size": 1280,
                       "mean": list(IMAGENET_MEAN), "std": list(IMAGENET_STD)},
        "coarse": {
            "architecture": "super_first",
            "class_num": 2,
            "stem_channels": 64,
            "layer1": {"block": "BOTTLENECK", "blocks": 2, "channels": 64},
            "stages": [
                {"modules": 1, "block": "BASIC", "blocks": [2, 2], "channels": [18, 36]},
                {"modules": 3, "block": "BASIC", "blocks": [2, 2, 2], "channels": [18, 36, 72]},
                {"modules": 2, "block": "BASIC", "blocks": [2, 2, 2, 2],
                 "channels": [18, 36, 72, 144]},
            ],
            "tail": None,
            "super": {"modules": 1, "block": "BASIC", "blocks": [2, 2], "channels": [64, 128]},
            "aspp": {"out": 128, "dilations": [1, 6, 12, 18]},
            "ocr": {"mid": 512, "key": 256, "scale": 1},
        },
        "refine": {"in_channels": 4, "widths": [64, 128, 256, 512, 512], "aspp": None},
    })


def _section(cfg, name):
    return cfg[name] if name in cfg else cfg


def up(x, size):
    """Bilinear resize with align_corners=True (spec 4.2)."""
    return F.interpolate(x, size=size, mode="bilinear", align_corners=True)


def _bn(c):
    return nn.BatchNorm2d(c, eps=BN_EPS)


# ---------------------------------------------------------------------------------------------
# HRNet building blocks (spec 2.3)

class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = _bn(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = _bn(planes)
        self.downsample = downsample

    def forward(self, x):
        t = F.relu(self.bn1(self.conv1(x)))
        t = self.bn2(self.conv2(t))
        r = x if self.downsample is None else self.downsample(x)
        return F.relu(t + r)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = _bn(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = _bn(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = _bn(planes * 4)
        self.downsample = downsample

    def forward(self, x):
        t = F.relu(self.bn1(self.conv1(x)))
        t = F.relu(self.bn2(self.conv2(t)))
        t = self.bn3(self.conv3(t))
        r = x if self.downsample is None else self.downsample(x)
        return F.relu(t + r)


BLOCKS = {"BASIC": BasicBlock, "BOTTLENECK": Bottleneck}


def make_layer(block, inplanes, planes, blocks, stride=1):
    """A sequence of residual blocks; block 0 gets a 1x1 projection when shapes change."""
    downsample = None
    if stride != 1 or inplanes != planes * block.expansion:
        downsample = nn.Sequential(
            nn.Conv2d(inplanes, planes * block.expansion, 1, stride, bias=False),
            _bn(planes * block.expansion))
    layers = [block(inplanes, planes, stride, downsample)]
    for _ in range(1, blocks):
        layers.append(block(planes * block.expansion, planes))
    return nn.Sequential(*layers)


class HighResolutionModule(nn.Module):
    """Parallel branches followed by an all-to-all multi-scale fusion."""

    def __init__(self, block, num_blocks, in_channels, channels):
        super().__init__()
        nb = len(channels)
        self.num_branches = nb
        self.branches = nn.ModuleList(
            make_layer(block, in_channels[b], channels[b], num_blocks[b]) for b in range(nb))
        out_ch = [c * block.expansion for c in channels]
        self.out_channels = out_ch
        fuse = []
        for i in range(nb):
            row = []
            for j in range(nb):
                if j > i:
                    row.append(nn.Sequential(nn.Conv2d(out_ch[j], out_ch[i], 1, bias=False),
                                             _bn(out_ch[i])))
                elif j == i:
                    row.append(None)
                else:
                    chain = []
                    for k in range(i - j):
                        last = k == i - j - 1
                        cout = out_ch[i] if last else out_ch[j]
                        seq = [nn.Conv2d(out_ch[j], cout, 3, 2, 1, bias=False), _bn(cout)]
                        if not last:
                            seq.append(nn.ReLU())
                        chain.append(nn.Sequential(*seq))
                    row.append(nn.Sequential(*chain))
            fuse.append(nn.ModuleList(row))
        self.fuse_layers = nn.ModuleList(fuse)

    def forward(self, xs):
        xs = [self.branches[b](xs[b]) for b in range(self.num_branches)]
        out = []
        for i in range(self.num_branches):
            size = xs[i].shape[-2:]

            def term(j):
                if j == i:
                    return xs[j]
                if j > i:
                    return up(self.fuse_layers[i][j](xs[j]), size)
                return self.fuse_layers[i][j](xs[j])

            y = term(0)
            for j in range(1, self.num_branches):
                y = y + term(j)
            out.append(F.relu(y))
        return out


def make_stage(stage_cfg, in_channels):
    """NUM_MODULES HR modules in sequence; returns (module list, output channels)."""
    block = BLOCKS[stage_cfg["block"]]
    modules = []
    chans = list(in_channels)
    for _ in range(stage_cfg["modules"]):
        m = HighResolutionModule(block, stage_cfg["blocks"], chans, stage_cfg["channels"])
        modules.append(m)
        chans = m.out_channels
    return nn.Sequential(*modules), chans


def make_transition(prev_channels, next_channels):
    """Channel adapters for existing branches, a stride-2 conv for the one new branch."""
    layers = []
    for i, c in enumerate(next_channels):
        if i < len(prev_channels):
            if prev_channels[i] != c:
                layers.append(nn.Sequential(nn.Conv2d(prev_channels[i], c, 3, 1, 1, bias=False),
                                            _bn(c), nn.ReLU()))
            else:
                layers.append(None)
        else:
            chain = []
            for k in range(i + 1 - len(prev_channels)):
                cin = prev_channels[-1] if k == 0 else c
                chain.append(nn.Sequential(nn.Conv2d(cin, c, 3, 2, 1, bias=False), _bn(c),
                                           nn.ReLU()))
            layers.append(nn.Sequential(*chain))
    return nn.ModuleList(layers)


def run_stage(stage, xs):
    for m in stage:
        xs = m(xs)
    return xs


def run_transition(transition, ys):
    xs = []
    for i, t in enumerate(transition):
        if t is None:
            xs.append(ys[i])
        elif i < len(ys):
            xs.append(t(ys[i]))
        else:
            xs.append(t(ys[-1]))
    return xs


# ---------------------------------------------------------------------------------------------
# ASPP (spec 2.7) and OCR (spec 2.8)

class _ASPPBranch(nn.Module):
    def __init__(self, cin, cout, kernel, dilation):
        super().__init__()
        pad = 0 if kernel == 1 else dilation
        self.atrous_conv = nn.Conv2d(cin, cout, kernel, 1, pad, dilation=dilation, bias=False)
        self.bn = _bn(cout)

    def forward(self, x):
        return F.relu(self.bn(self.atrous_conv(x)))


class ASPP(nn.Module):
    def __init__(self, cin, cout, dilations):
        super().__init__()
        d = list(dilations)
        self.aspp1 = _ASPPBranch(cin, cout, 1, d[0])
        self.aspp2 = _ASPPBranch(cin, cout, 3, d[1])
        self.aspp3 = _ASPPBranch(cin, cout, 3, d[2])
        self.aspp4 = _ASPPBranch(cin, cout, 3, d[3])
        self.global_avg_pool = nn.Sequential(nn.AdaptiveAvgPool2d((1, 1)),
                                             nn.Conv2d(cin, cout, 1, bias=False), _bn(cout),
                                             nn.ReLU())
        self.conv1 = nn.Conv2d(cout * 5, cout, 1, bias=False)
        self.bn1 = _bn(cout)

    def forward(self, x):
        x1 = self.aspp1(x)
        x2 = self.aspp2(x)
        x3 = self.aspp3(x)
        x4 = self.aspp4(x)
        x5 = up(self.global_avg_pool(x), x4.shape[-2:])
        y = torch.cat([x1, x2, x3, x4, x5], 1)
        return F.relu(self.bn1(self.conv1(y)))


def _bn_relu(c):
    return nn.Sequential(_bn(c), nn.ReLU())


class ObjectAttentionBlock(nn.Module):
    def __init__(self, mid, key, scale):
        super().__init__()
        self.scale = scale
        self.key_channels = key
        self.f_pixel = nn.Sequential(nn.Conv2d(mid, key, 1, bias=False), _bn_relu(key),
                                     nn.Conv2d(key, key, 1, bias=False), _bn_relu(key))
        self.f_object = nn.Sequential(nn.Conv2d(mid, key, 1, bias=False), _bn_relu(key),
                                      nn.Conv2d(key, key, 1, bias=False), _bn_relu(key))
        self.f_down = nn.Sequential(nn.Conv2d(mid, key, 1, bias=False), _bn_relu(key))
        self.f_up = nn.Sequential(nn.Conv2d(key, mid, 1, bias=False), _bn_relu(mid))

    def forward(self, x, proxy):
        n, _, h, w = x.shape
        if self.scale > 1:
            x = F.max_pool2d(x, kernel_size=(self.scale, self.scale))
        query = self.f_pixel(x).view(n, self.key_channels, -1).permute(0, 2, 1)
        key = self.f_object(proxy).view(n, self.key_channels, -1)
        value = self.f_down(proxy).view(n, self.key_channels, -1).permute(0, 2, 1)
        sim = torch.matmul(query, key)
        sim = (self.key_channels ** -0.5) * sim
        sim = F.softmax(sim, dim=-1)
        ctx = torch.matmul(sim, value).permute(0, 2, 1).contiguous()
        ctx = ctx.view(n, self.key_channels, *x.shape[2:])
        ctx = self.f_up(ctx)
        if self.scale > 1:
            ctx = up(ctx, (h, w))
        return ctx


class SpatialOCR(nn.Module):
    def __init__(self, mid, key, scale):
        super().__init__()
        self.object_context_block = ObjectAttentionBlock(mid, key, scale)
        self.conv_bn_dropout = nn.Sequential(nn.Conv2d(2 * mid, mid, 1, bias=False),
                                             _bn_relu(mid), nn.Dropout2d(0.05))

    def forward(self, feats, proxy):
        ctx = self.object_context_block(feats, proxy)
        return self.conv_bn_dropout(torch.cat([ctx, feats], 1))


def spatial_gather(probs, feats):
    """Class centres: softmax of the aux logits over pixels, times the pixel features."""
    n, k = probs.shape[:2]
    probs = probs.view(n, k, -1)
    feats = feats.view(n, feats.shape[1], -1).permute(0, 2, 1)
    probs = F.softmax(probs, dim=2)
    return torch.matmul(probs, feats).permute(0, 2, 1).unsqueeze(3)


def _head(c, k):
    return nn.Sequential(nn.Conv2d(c, c, 1, bias=True), _bn(c), nn.ReLU(),
                         nn.Conv2d(c, k, 1, bias=True))


# ---------------------------------------------------------------------------------------------
# MobileNetV2 encoder (docs/model-format.md, coarse.encoder): an alternative to the HRNet stem,
# layer1 and branch-making transitions, so a coarse net can start from ImageNet features.
# Sub-module names follow torchvision's mobilenet_v2().features, so its state_dict loads
# under the prefix "encoder.".

class ConvBNReLU6(nn.Sequential):
    def __init__(self, cin, cout, kernel, stride, groups=1):
        super().__init__(nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups,
                                   bias=False), _bn(cout), nn.ReLU6())


class InvertedResidual(nn.Module):
    """1x1 expansion (skipped when expand is 1) -> 3x3 depthwise -> 1x1 linear projection;
    the input is added back when stride is 1 and the widths match."""

    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        layers = [] if expand == 1 else [ConvBNReLU6(cin, hidden, 1, 1)]
        layers += [ConvBNReLU6(hidden, hidden, 3, stride, groups=hidden),
                   nn.Conv2d(hidden, cout, 1, bias=False), _bn(cout)]
        self.conv = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.conv(x)
        return x + y if self.residual else y


class MobileNetV2Encoder(nn.Module):
    """features[0] (stem conv) and the inverted-residual blocks of cfg["blocks"]
    ([expand, channels, repeats, stride] rows); forward returns the outputs of the blocks
    listed in cfg["taps"] (features indices): the first is the 1/2-resolution map of the
    super stage, the others the HRNet branches."""

    def __init__(self, cfg):
        super().__init__()
        stem = cfg["stem_channels"]
        layers = [ConvBNReLU6(3, stem, 3, 2)]
        self.channels = [stem]
        cin = stem
        for expand, cout, repeats, stride in cfg["blocks"]:
            for r in range(repeats):
                layers.append(InvertedResidual(cin, cout, stride if r == 0 else 1, expand))
                cin = cout
                self.channels.append(cout)
        self.taps = list(cfg["taps"])
        self.features = nn.Sequential(*layers[:self.taps[-1] + 1])
        self.tap_channels = [self.channels[t] for t in self.taps]

    def forward(self, x):
        outs = []
        for i, layer in enumerate(self.features):
            x = layer(x)
            if i in self.taps:
                outs.append(x)
        return outs


def mobilenet_v2_encoder_config(taps=(1, 3, 6, 13, 17)):
    """torchvision's mobilenet_v2 (width 1.0) up to features[taps[-1]]."""
    return {"type": "mobilenet_v2", "stem_channels": 32,
            "blocks": [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2],
                       [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]],
            "taps": list(taps)}


# ---------------------------------------------------------------------------------------------
# Coarse network (spec section 2)

class CoarseNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        cfg = _section(cfg, "coarse")
        self.cfg = copy.deepcopy(cfg)
        self.super_first = cfg["architecture"] == "super_first"
        k = cfg["class_num"]
        enc = cfg.get("encoder")
        if enc:
            self.encoder = MobileNetV2Encoder(enc)
            stem = self.encoder.tap_channels[0]
            chans = self.encoder.tap_channels[1:]
        else:
            self.encoder = None
            stem = cfg["stem_channels"]
            self.conv1 = nn.Conv2d(3, stem, 3, 2, 1, bias=False)
            self.bn1 = _bn(stem)
            self.conv2 = nn.Conv2d(stem, stem, 3, 2, 1, bias=False)
            self.bn2 = _bn(stem)
            l1 = cfg["layer1"]
            l1_block = BLOCKS[l1["block"]]
            self.layer1 = make_layer(l1_block, stem, l1["channels"], l1["blocks"])
            chans = [l1["channels"] * l1_block.expansion]
        for n, st in enumerate(cfg["stages"]):
            exp = BLOCKS[st["block"]].expansion
            target = [c * exp for c in st["channels"]]
            setattr(self, "transition%d" % (n + 1), make_transition(chans, target))
            stage, chans = make_stage(st, target)
            setattr(self, "stage%d" % (n + 2), stage)
        self.num_stages = len(cfg["stages"])
        cb = sum(chans)

        tail = cfg.get("tail")
        if tail:
            t_block = BLOCKS[tail["block"]]
            self.stage_tail = make_layer(t_block, cb, tail["channels"], tail["blocks"])
            cb = tail["channels"] * t_block.expansion
        else:
            self.stage_tail = None

        ocr = cfg["ocr"]
        mid, key = ocr["mid"], ocr["key"]
        self.ocr_scale = ocr.get("scale", 1)
        sup = cfg["super"]
        aspp = cfg.get("aspp")

        def build_super(in1):
            stage, out = make_stage(sup, [stem, in1])
            return stage, sum(out)

        def build_ocr(cin):
            if aspp:
                self.aspp_layer = ASPP(cin, aspp["out"], aspp["dilations"])
                cin = aspp["out"]
            else:
                self.aspp_layer = None
            self.aux_head = _head(cin, k)
            self.conv3x3_ocr = nn.Sequential(nn.Conv2d(cin, mid, 3, 1, 1, bias=True), _bn(mid),
                                             nn.ReLU())
            self.ocr_distri_head = SpatialOCR(mid, key, self.ocr_scale)

        # Registration order reproduces the checkpoint key order of each wiring.
        if self.super_first:
            self.stage_super, xs_ch = build_super(cb)
            build_ocr(xs_ch)
            self.cls_head = _head(mid, k)
        else:
            build_ocr(cb)
            self.stage_super, xs_ch = build_super(mid)
            self.cls_head = _head(xs_ch, k)

    def backbone(self, x):
        """Returns (x_stem, feats): the 1/2-resolution stem map and the 1/4 concat (+tail)."""
        if self.encoder is not None:
            x_stem, *ys = self.encoder(x)
        else:
            x = F.relu(self.bn1(self.conv1(x)))
            x_stem = x
            x = F.relu(self.bn2(self.conv2(x)))
            ys = [self.layer1(x)]
        for n in range(self.num_stages):
            xs = run_transition(getattr(self, "transition%d" % (n + 1)), ys)
            ys = run_stage(getattr(self, "stage%d" % (n + 2)), xs)
        size = ys[0].shape[-2:]
        feats = torch.cat([ys[0]] + [up(y, size) for y in ys[1:]], 1)
        if self.stage_tail is not None:
            feats = self.stage_tail(feats)
        return x_stem, feats

    def super_stage(self, x_stem, x):
        y0, y1 = run_stage(self.stage_super, [x_stem, x])
        return torch.cat([y0, up(y1, y0.shape[-2:])], 1)

    def ocr_part(self, x):
        """Returns (out_aux, g)."""
        if self.aspp_layer is not None:
            x = self.aspp_layer(x)
        out_aux = self.aux_head(x)
        f = self.conv3x3_ocr(x)
        proxy = spatial_gather(out_aux, f)
        g = self.ocr_distri_head(f, proxy)
        return out_aux, g

    def forward(self, x):
        x_stem, feats = self.backbone(x)
        if self.super_first:
            xs = self.super_stage(x_stem, feats)
            out_aux, g = self.ocr_part(xs)
            out = self.cls_head(g)
        else:
            out_aux, g = self.ocr_part(feats)
            xs = self.super_stage(x_stem, g)
            out = self.cls_head(xs)
        return [out_aux, out]


# ---------------------------------------------------------------------------------------------
# Refine network (spec section 3)

class _ConvBN(nn.Module):
    """conv (with bias) -> BN [-> ReLU]; the original names the sequence `cbr_unit` either way."""

    def __init__(self, cin, cout, kernel, relu):
        super().__init__()
        seq = [nn.Conv2d(cin, cout, kernel, 1, kernel // 2, bias=True), _bn(cout)]
        if relu:
            seq.append(nn.ReLU())
        self.cbr_unit = nn.Sequential(*seq)

    def forward(self, x):
        return self.cbr_unit(x)


class _Down(nn.Module):
    def __init__(self, cin, cout, convs):
        super().__init__()
        for i in range(convs):
            setattr(self, "conv%d" % (i + 1), _ConvBN(cin if i == 0 else cout, cout, 3, True))
        self.convs = convs

    def forward(self, x):
        for i in range(self.convs):
            x = getattr(self, "conv%d" % (i + 1))(x)
        shape = x.shape
        y, idx = F.max_pool2d(x, 2, 2, return_indices=True)
        return y, idx, shape


class _Up(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = _ConvBN(cin, cout, 5, False)

    def forward(self, x, idx, shape):
        x = F.max_unpool2d(x, idx, 2, 2, output_size=shape[-2:])
        return self.conv(x)


class RefineNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        cfg = _section(cfg, "refine")
        self.cfg = copy.deepcopy(cfg)
        w = cfg["widths"]
        aspp = cfg.get("aspp")
        if aspp:
            self.aspp_layer = ASPP(w[1], aspp["out"], aspp["dilations"])
            self.conv_1x1_aspp = _ConvBN(w[1] + aspp["out"], w[1], 1, False)
        else:
            self.aspp_layer = None
            self.conv_1x1_aspp = None
        self.down1 = _Down(cfg.get("in_channels", 4), w[0], 2)
        self.down2 = _Down(w[0], w[1], 2)
        self.down3 = _Down(w[1], w[2], 3)
        self.down4 = _Down(w[2], w[3], 3)
        self.down5 = _Down(w[3], w[4], 3)
        self.up5 = _Up(w[4], w[3])
        self.up4 = _Up(w[3], w[2])
        self.up3 = _Up(w[2], w[1])
        self.up2 = _Up(w[1], w[0])
        self.up1 = _Up(w[0], 1)

    def forward_logits(self, x):
        """The refiner up to (and excluding) the sigmoid: [N, H, W]."""
        d1, i1, s1 = self.down1(x)
        d2, i2, s2 = self.down2(d1)
        a = self.aspp_layer(d2) if self.aspp_layer is not None else None
        d3, i3, s3 = self.down3(d2)
        d4, i4, s4 = self.down4(d3)
        d5, i5, s5 = self.down5(d4)
        u = self.up5(d5, i5, s5)
        u = self.up4(u, i4, s4)
        u = self.up3(u, i3, s3)
        if a is not None:
            u = self.conv_1x1_aspp(torch.cat([u, a], 1))
        u = self.up2(u, i2, s2)
        u = self.up1(u, i1, s1)
        return u.squeeze(1)

    def alpha(self, logits):
        """The matte from the logits: sigmoid, then the optional black and white points
        (refine.levels) stretched to 0 and 1, clamped to [0, 1]."""
        a = torch.sigmoid(logits)
        levels = self.cfg.get("levels")
        if levels:
            black, white = (torch.tensor(v, dtype=a.dtype) for v in levels)
            a = (a - black) / (white - black)
        return torch.clamp(a, 0, 1)

    def forward(self, x):
        return self.alpha(self.forward_logits(x))


# ---------------------------------------------------------------------------------------------
# Cost

def count_macs(cfg):
    """Convolution multiply-accumulates of one coarse and one refine pass, counted with forward
    hooks on a 64x64 stand-in input and scaled to the canvas sizes (every convolution's cost is
    linear in area except ASPP's pooled 1x1 conv; the OCR matrix products, ~0.1 %, are not
    counted). Returns (coarse, refine)."""
    pre = cfg["preprocess"]

    def run(net, shape, factor):
        total = [0]

        def conv_hook(m, inp, out):
            total[0] += (out.numel() * (m.in_channels // m.groups)
                         * m.kernel_size[0] * m.kernel_size[1])

        hooks = [m.register_forward_hook(conv_hook) for m in net.modules()
                 if isinstance(m, nn.Conv2d)]
        with torch.no_grad():
            net.eval()(torch.zeros(shape))
        for h in hooks:
            h.remove()
        return total[0] * factor

    probe = 64
    coarse = run(CoarseNet(cfg), (1, 3, probe, probe), (pre["coarse_size"] / probe) ** 2)
    refine = run(RefineNet(cfg), (1, cfg["refine"].get("in_channels", 4), probe, probe),
                 (pre["refine_size"] / probe) ** 2)
    return coarse, refine
