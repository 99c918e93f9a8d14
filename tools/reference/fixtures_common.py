"""Tiny test configurations, synthetic pictures and stage-by-stage float32/float64 runs,
shared by make_fixtures.py, make_modelscope_dir.py and parity.py."""

import copy

import numpy as np
import torch

from tools.reference import infer
from tools.reference import nets
from tools.reference import randinit
from tools.reference.canvas import IMAGENET_MEAN, IMAGENET_STD

TINY_PREPROCESS = {"coarse_size": 48, "refine_size": 80,
                   "mean": list(IMAGENET_MEAN), "std": list(IMAGENET_STD)}


def tiny_config(name, architecture="super_first", tail=None, ocr_scale=1, aspp=None,
                refine_aspp=None, super_stage=None, coarse_views=None, encoder=None, stages=None):
    """A narrow model with the same code paths as the original (every option selectable).
    With an encoder (coarse.encoder), `stages` must fit its taps and there is no stem or
    layer1."""
    pre = copy.deepcopy(TINY_PREPROCESS)
    if coarse_views:
        pre["coarse_views"] = coarse_views
    if encoder:
        front = {"encoder": copy.deepcopy(encoder)}
    else:
        front = {"stem_channels": 8,
                 "layer1": {"block": "BOTTLENECK", "blocks": 2, "channels": 2}}
    return {
        "name": name,
        "version": "1",
        "preprocess": pre,
        "coarse": {
            "architecture": architecture,
            "class_num": 2,
            **front,
            "stages": copy.deepcopy(stages) or [
                {"modules": 1, "block": "BASIC", "blocks": [2, 2], "channels": [2, 4]},
                {"modules": 2, "block": "BASIC", "blocks": [1, 1, 1], "channels": [2, 4, 6]},
                {"modules": 1, "block": "BASIC", "blocks": [1, 1, 1, 1], "channels": [2, 4, 6, 8]},
            ],
            "tail": tail,
            "super": super_stage or {"modules": 1, "block": "BASIC", "blocks": [2, 1],
                                     "channels": [4, 8]},
            "aspp": aspp,
            "ocr": {"mid": 8, "key": 4, "scale": ocr_scale},
        },
        "refine": {"in_channels": 4, "widths": [4, 8, 8, 16, 16], "aspp": refine_aspp},
    }


def synthetic_picture(height, width, seed):
    """uint8 RGB: a sky gradient above a wavy horizon, textured ground, per-pixel noise (so no
    region of the picture is flat)."""
    rng = np.random.RandomState(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float64)
    phase = rng.uniform(0, 2 * np.pi)
    horizon = height * (0.45 + 0.12 * np.sin(2 * np.pi * xx / max(width, 1) * 1.5 + phase))
    sky = yy < horizon
    t = yy / max(height - 1, 1)
    img = np.zeros((height, width, 3))
    img[..., 0] = np.where(sky, 70 + 90 * t, 60 + 50 * np.sin(xx / 3.0) ** 2)
    img[..., 1] = np.where(sky, 130 + 70 * t, 90 + 40 * np.cos(yy / 4.0) ** 2)
    img[..., 2] = np.where(sky, 230 - 40 * t, 50 + 30 * np.sin((xx + yy) / 5.0) ** 2)
    img += rng.uniform(-14, 14, img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def pad_value(pre):
    m = np.asarray(pre["mean"], dtype=np.float32)
    s = np.asarray(pre["std"], dtype=np.float32)
    return ((np.float32(0) - m) / s).astype(np.float64)


def build_models(cfg, seed, picture, bias_range=(0.05, 0.3)):
    """Random float32 CoarseNet/RefineNet (eval mode): coarse classes balanced on the picture,
    refiner calibrated and conditioned on the picture's refine input (encoder folded biases
    drawn from -bias_range, in units of the channel's std)."""
    torch.manual_seed(seed)
    pre = cfg["preprocess"]
    coarse = randinit.randomize(nets.CoarseNet(cfg), seed).eval()
    refine = randinit.randomize(nets.RefineNet(cfg), seed + 1).eval()
    p = infer.preprocess(picture, pre)
    xc = infer.bilinear_ac(p["x"], pre["coarse_size"])
    randinit.calibrate(coarse, xc, seed + 3, logit_rms={"aux_head.3": 3.0, "cls_head.3": 3.0})
    randinit.balance_classes(coarse, xc)
    with torch.no_grad():
        scores = infer.coarse_scores(coarse, p["x"], pre)[3]
        label = torch.argmax(scores, dim=1, keepdim=True).float()
    randinit.condition_refiner(refine, pad_value(pre), seed + 2, torch.cat([p["x"], label], 1),
                               bias_range)
    return coarse, refine


def as_float64(net, cls):
    twin = cls(net.cfg).double()
    twin.load_state_dict(net.state_dict())
    return twin.eval()


STAGES = ["x", "xc", "out_aux", "out", "logits_up", "label", "refine_in", "refine_logits",
          "alpha", "alpha_unpadded", "mask"]


def _diff(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    d = float(np.abs(a - b).max())
    return d, d / max(float(np.abs(b).max()), 1e-30)


def stability(coarse, refine, picture, pre):
    """Runs the mask inference in float32, then every stage again in float64 on the stored
    float32 input of that stage ("stage-wise", what a per-stage test compares) and the whole
    chain in float64 ("end to end"). Returns (stages32, report)."""
    s32 = infer.infer_mask(coarse, refine, picture, pre)
    c64 = as_float64(coarse, nets.CoarseNet)
    r64 = as_float64(refine, nets.RefineNet)
    t = lambda k: torch.from_numpy(np.asarray(s32[k], dtype=np.float64))  # noqa: E731
    st = {}
    with torch.no_grad():
        st["x"] = infer.preprocess(picture, pre)["x"].double().numpy()
        st["xc"] = infer.bilinear_ac(t("x"), pre["coarse_size"]).numpy()
        aux, out = c64(t("xc"))
        st["out_aux"], st["out"] = aux.numpy(), out.numpy()
        if infer.coarse_views(pre) is None:
            lu = infer.bilinear_ac(t("out"), pre["refine_size"])
        else:  # the views' summed probabilities: every view from x, in float64
            lu = infer.coarse_scores(c64, t("x"), pre)[3]
        st["logits_up"] = lu.numpy()
        st["label"] = torch.argmax(t("logits_up"), dim=1, keepdim=True).double().numpy()
        st["refine_in"] = torch.cat([t("x"), t("label")], 1).numpy()
        rl = r64.forward_logits(t("refine_in"))
        st["refine_logits"] = rl.numpy()
        st["alpha"] = torch.clamp(torch.sigmoid(t("refine_logits")), 0, 1).numpy()
    h, w = picture.shape[:2]
    st["alpha_unpadded"], st["mask"] = infer.finish_mask(s32["alpha"].astype(np.float64),
                                                         s32["pad"], h, w)
    e2e = infer.infer_mask(c64, r64, picture, pre)
    report = {"stagewise": {k: _diff(s32[k], st[k]) for k in STAGES},
              "end_to_end": {k: _diff(s32[k], e2e[k]) for k in STAGES}}
    report["label_disagreements"] = int((s32["label"] != e2e["label"]).sum())
    lu = e2e["logits_up"][0]
    srt = np.sort(lu, axis=0)
    margin = (srt[-1] - srt[-2]) / np.sqrt((lu * lu).mean())
    report["label_min_margin"] = float(margin.min())
    report["pool"] = randinit.pool_margins(r64, torch.from_numpy(e2e["refine_in"]))
    return s32, report


COARSE_STAGES = ("xc", "out_aux", "out", "logits_up")


def report_is_stable(report, coarse_limit=5e-5, rel_limit=1e-5, label_margin=1e-4,
                     pool_gap=3e-5):
    """The fixture's discrete decisions are far from their thresholds and every stage's float32
    error is small. The coarse net's error grows smoothly with depth (no decisions inside), so
    it gets its own limit."""
    ok = report["label_disagreements"] == 0 and report["label_min_margin"] > label_margin
    ok = ok and all(r[2] > pool_gap for r in report["pool"])
    for k in STAGES:
        limit = coarse_limit if k in COARSE_STAGES else rel_limit
        ok = ok and report["stagewise"][k][1] <= limit
        if k not in COARSE_STAGES:
            ok = ok and report["end_to_end"][k][1] <= rel_limit
    return ok


def format_report(name, report):
    lines = ["%s:" % name]
    lines.append("  float32 vs float64: max abs diff, max abs diff / max |value|"
                 "  (stage-wise | end to end)")
    for k in STAGES:
        a, b = report["stagewise"][k], report["end_to_end"][k]
        lines.append("    %-15s %.2e %.2e | %.2e %.2e" % (k, a[0], a[1], b[0], b[1]))
    lines.append("  label disagreements %d; smallest top-2 logit gap %.2e x logits RMS"
                 % (report["label_disagreements"], report["label_min_margin"]))
    lines.append("  pooling: live windows, smallest top-2 gap x layer RMS,"
                 " windows with gap < 1e-4:")
    lines.append("    " + ", ".join("%s %d %.1e %d" % r for r in report["pool"]))
    return "\n".join(lines)


def find_stable_models(cfg, picture, seed_base, max_tries=40):
    """Draws random models (seeds seed_base, seed_base+10, ...) until report_is_stable.
    Returns (coarse, refine, stages32, report, seed)."""
    for attempt in range(max_tries):
        seed = seed_base + 10 * attempt
        coarse, refine = build_models(cfg, seed, picture)
        stages, report = stability(coarse, refine, picture, cfg["preprocess"])
        if report_is_stable(report):
            return coarse, refine, stages, report, seed
    raise RuntimeError("%s: no numerically stable random model in %d tries"
                       % (cfg["name"], max_tries))
