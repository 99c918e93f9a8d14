#!/usr/bin/python3
"""Convert a ModelScope `damo/cv_hrnetocr_skychange` model directory to one skychange
.safetensors file.

The directory holds pytorch_model.pt (coarse network), unet_sky_matting_final_model.pkl
(refine network) and configuration.json. Every shape-related setting (widths, block counts,
modules, tail, ASPP presence, OCR channels, class count, wiring) is read from the checkpoint
shapes; the two settings that leave no trace in the weights -- the ASPP dilations and the OCR
pooling scale -- come from configuration.json (`aspp.dilations`, `ocr.scale`) or from the
command line. Without them the conversion is refused unless --assume-defaults is given.

Security: the checkpoints are Python pickles. They are loaded with
torch.load(weights_only=True), which only rebuilds tensors and plain containers and cannot
run code. A checkpoint that needs anything more is refused; --trust-pickle loads it with the
full unpickler, which can execute arbitrary code from the file: use it only for files from a
source you trust.
"""

import argparse
import json
import os
import re
import sys

import torch

from tools.reference import export
from tools.reference import nets
from tools.reference.canvas import IMAGENET_MEAN, IMAGENET_STD

COARSE_FILE = "pytorch_model.pt"
REFINE_FILE = "unet_sky_matting_final_model.pkl"
CONFIG_FILE = "configuration.json"
# What the original ModelScope model uses where its configuration.json says nothing
# (--assume-defaults).
MODELSCOPE_DILATIONS = [1, 6, 12, 18]
MODELSCOPE_OCR_SCALE = 1
MODELSCOPE_PREPROCESS = {"coarse_size": 640, "refine_size": 1280,
                         "mean": list(IMAGENET_MEAN), "std": list(IMAGENET_STD)}


class ConvertError(Exception):
    pass


def log(msg):
    print("convert_modelscope: " + msg, file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Loading

def load_checkpoint(path, trust_pickle):
    if not os.path.isfile(path):
        raise ConvertError("%s: file not found" % path)
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # the restricted unpickler reports refusals with many types
        if not trust_pickle:
            raise ConvertError("%s: cannot be loaded safely (weights_only=True): %s\n"
                               "  If the file comes from a source you trust, rerun with "
                               "--trust-pickle (this lets the file run code)." % (path, e))
        log("%s: loading with the full unpickler (--trust-pickle)" % path)
        ckpt = torch.load(path, map_location="cpu")
    if isinstance(ckpt, dict) and "model_state" in ckpt:
        state = ckpt["model_state"]
    else:
        raise ConvertError("%s: no 'model_state' entry in the checkpoint" % path)
    if not isinstance(state, dict) or not state:
        raise ConvertError("%s: 'model_state' is not a non-empty state dict" % path)
    return strip_prefix(path, state)


def strip_prefix(path, state):
    """DataParallel prefixes: `module.model.` or `module.`, decided on the first key and
    required on every key."""
    first = next(iter(state))
    if first.startswith("module.model."):
        prefix = "module.model."
    elif first.startswith("module."):
        prefix = "module."
    else:
        prefix = ""
    out = {}
    for key, value in state.items():
        if not key.startswith(prefix):
            raise ConvertError("%s: key %s lacks the prefix %r of the first key"
                               % (path, key, prefix))
        if not torch.is_tensor(value):
            raise ConvertError("%s: entry %s is not a tensor" % (path, key))
        out[key[len(prefix):]] = value
    return out


def load_configuration(model_dir):
    path = os.path.join(model_dir, CONFIG_FILE)
    if not os.path.isfile(path):
        log("%s: not found; ASPP dilations and OCR scale must come from options" % path)
        return {}
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise ConvertError("%s: cannot parse: %s" % (path, e))


# ---------------------------------------------------------------------------------------------
# Reading the architecture off the shapes (spec section 2.10)

def shape(state, key, where):
    if key not in state:
        raise ConvertError("%s: missing tensor %s" % (where, key))
    return tuple(state[key].shape)


def indices(state, prefix):
    """Distinct integer components right after prefix (e.g. 'stage3.' -> {0,1,2})."""
    pat = re.compile(re.escape(prefix) + r"(\d+)\.")
    return sorted({int(m.group(1)) for m in (pat.match(k) for k in state) if m})


def read_layer(state, prefix, where):
    blocks = indices(state, prefix)
    if blocks != list(range(len(blocks))) or not blocks:
        raise ConvertError("%s: %s has no consecutive blocks" % (where, prefix))
    bottleneck = (prefix + "0.conv3.weight") in state
    planes = shape(state, prefix + "0.conv1.weight", where)[0]
    return {"block": "BOTTLENECK" if bottleneck else "BASIC", "blocks": len(blocks),
            "channels": planes}


def read_stage(state, prefix, where):
    modules = indices(state, prefix)
    if modules != list(range(len(modules))) or not modules:
        raise ConvertError("%s: %s has no consecutive modules" % (where, prefix))
    branches = indices(state, prefix + "0.branches.")
    blocks, channels, kinds = [], [], set()
    for b in branches:
        layer = read_layer(state, "%s0.branches.%d." % (prefix, b), where)
        blocks.append(layer["blocks"])
        channels.append(layer["channels"])
        kinds.add(layer["block"])
    if len(kinds) != 1:
        raise ConvertError("%s: %s mixes block types" % (where, prefix))
    return {"modules": len(modules), "block": kinds.pop(), "blocks": blocks,
            "channels": channels}


def expansion(block):
    return nets.BLOCKS[block].expansion


def derive_coarse(state, cfg_model, where):
    coarse = {"class_num": shape(state, "cls_head.3.weight", where)[0],
              "stem_channels": shape(state, "conv1.weight", where)[0],
              "layer1": read_layer(state, "layer1.", where)}
    stages = []
    n = 2
    while any(k.startswith("stage%d." % n) for k in state):
        stages.append(read_stage(state, "stage%d." % n, where))
        n += 1
    if not stages:
        raise ConvertError("%s: no HRNet stages (stage2...)" % where)
    coarse["stages"] = stages
    last = stages[-1]
    cb = sum(c * expansion(last["block"]) for c in last["channels"])
    if any(k.startswith("stage_tail.") for k in state):
        coarse["tail"] = read_layer(state, "stage_tail.", where)
        cb = coarse["tail"]["channels"] * expansion(coarse["tail"]["block"])
    else:
        coarse["tail"] = None
    sup = read_stage(state, "stage_super.", where)
    if len(sup["channels"]) != 2:
        raise ConvertError("%s: stage_super has %d branches, expected 2"
                           % (where, len(sup["channels"])))
    coarse["super"] = sup
    mid = shape(state, "conv3x3_ocr.0.weight", where)[0]
    key = shape(state, "ocr_distri_head.object_context_block.f_pixel.0.weight", where)[0]
    in1 = shape(state, "stage_super.0.branches.1.0.conv1.weight", where)[1]
    cls_in = shape(state, "cls_head.0.weight", where)[1]
    super_out = sum(c * expansion(sup["block"]) for c in sup["channels"])
    super_first = in1 == cb and cls_in == mid
    ocr_first = in1 == mid and cls_in == super_out
    declared = cfg_model.get("architecture")
    if super_first and ocr_first:
        if declared is None:
            raise ConvertError("%s: the wiring cannot be told from the shapes and "
                               "configuration.json has no coarse 'architecture'" % where)
        coarse["architecture"] = "super_first" if declared == "hrnet_super_ocr" else "ocr_first"
    elif super_first or ocr_first:
        coarse["architecture"] = "super_first" if super_first else "ocr_first"
        if declared is not None and (declared == "hrnet_super_ocr") != super_first:
            log("%s: configuration.json says architecture %r but the shapes say %s; "
                "using the shapes" % (where, declared, coarse["architecture"]))
    else:
        raise ConvertError("%s: stage_super input %d / cls_head input %d match neither wiring "
                           "(backbone %d, OCR %d, super %d channels)"
                           % (where, in1, cls_in, cb, mid, super_out))
    if any(k.startswith("aspp_layer.") for k in state):
        coarse["aspp"] = {"out": shape(state, "aspp_layer.conv1.weight", where)[0],
                          "dilations": None}
    else:
        coarse["aspp"] = None
    coarse["ocr"] = {"mid": mid, "key": key, "scale": None}
    return coarse


def derive_refine(state, where):
    widths = [shape(state, "down%d.conv1.cbr_unit.0.weight" % i, where)[0] for i in range(1, 6)]
    in_ch = shape(state, "down1.conv1.cbr_unit.0.weight", where)[1]
    n_classes = shape(state, "up1.conv.cbr_unit.0.weight", where)[0]
    if in_ch != 4:
        raise ConvertError("%s: refine input has %d channels, expected 4 (RGB + label)"
                           % (where, in_ch))
    if n_classes != 1:
        raise ConvertError("%s: refine output has %d channels, expected 1" % (where, n_classes))
    refine = {"in_channels": in_ch, "widths": widths, "aspp": None}
    if any(k.startswith("aspp_layer.") for k in state):
        refine["aspp"] = {"out": shape(state, "aspp_layer.conv1.weight", where)[0],
                          "dilations": None}
    return refine


# ---------------------------------------------------------------------------------------------
# Settings that are not in the weights

def parse_ints(text, what):
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        raise ConvertError("%s: %r is not a comma-separated list of integers" % (what, text))
    return values


def check_dilations(values, where):
    if not isinstance(values, (list, tuple)) or len(values) != 4 or \
            not all(isinstance(v, int) and v >= 1 for v in values):
        raise ConvertError("%s: ASPP dilations must be 4 positive integers, got %r"
                           % (where, values))
    return list(values)


def resolve(flag, from_config, default, assume_defaults, what, assumed):
    """Option > configuration.json > documented default (only with --assume-defaults)."""
    if flag is not None:
        return flag
    if from_config is not None:
        return from_config
    if assume_defaults:
        assumed.append("%s = %s" % (what, default))
        return default
    raise ConvertError("%s is not in configuration.json and cannot be read from the weights; "
                       "give it as an option, or pass --assume-defaults to use %s"
                       % (what, default))


def set_aspp_dilations(net, model, which, flag, option, assume_defaults, assumed):
    """Dilations of one network's ASPP, resolved like every other setting."""
    where = "%s aspp.dilations" % which
    if net["aspp"]:
        cfg_dil = (model.get("aspp") or {}).get("dilations")
        net["aspp"]["dilations"] = check_dilations(
            resolve(flag, cfg_dil, MODELSCOPE_DILATIONS, assume_defaults, where, assumed), where)
    elif flag:
        log("%s ignored: the %s network has no ASPP" % (option, which))


def preprocess_from(config):
    pre = dict(MODELSCOPE_PREPROCESS)
    p = config.get("preprocessor") or {}
    cw = p.get("coarse_model_width", pre["coarse_size"])
    ch = p.get("coarse_model_height", pre["coarse_size"])
    rw = p.get("refine_model_width", pre["refine_size"])
    rh = p.get("refine_model_height", pre["refine_size"])
    if cw != ch or rw != rh:
        raise ConvertError("%s: non-square network sizes (coarse %sx%s, refine %sx%s) are not "
                           "supported" % (CONFIG_FILE, cw, ch, rw, rh))
    pre["coarse_size"], pre["refine_size"] = int(cw), int(rw)
    pre["mean"] = [float(v) for v in p.get("mean_vec", pre["mean"])]
    pre["std"] = [float(v) for v in p.get("std_vec", pre["std"])]
    return pre


# ---------------------------------------------------------------------------------------------

def strict_check(label, net, state):
    want = {k: tuple(v.shape) for k, v in net.state_dict().items()}
    have = {k: tuple(v.shape) for k, v in state.items()}
    missing = sorted(set(want) - set(have))
    unexpected = sorted(set(have) - set(want))
    wrong = sorted(k for k in set(want) & set(have) if want[k] != have[k])
    problems = []
    if missing:
        problems.append("%d missing keys: %s" % (len(missing), ", ".join(missing[:12])))
    if unexpected:
        problems.append("%d unexpected keys: %s" % (len(unexpected), ", ".join(unexpected[:12])))
    for k in wrong[:12]:
        problems.append("%s has shape %s, expected %s" % (k, have[k], want[k]))
    if problems:
        raise ConvertError("%s checkpoint does not match the derived architecture:\n  %s"
                           % (label, "\n  ".join(problems)))


def convert(args):
    config = load_configuration(args.model_dir)
    model_cfg = config.get("model", {})
    coarse_model = (model_cfg.get("coarse_cfg") or {}).get("Model") or {}
    refine_model = (model_cfg.get("refine_cfg") or {}).get("Model") or {}
    coarse_path = os.path.join(args.model_dir, COARSE_FILE)
    refine_path = os.path.join(args.model_dir, REFINE_FILE)
    coarse_state = load_checkpoint(coarse_path, args.trust_pickle)
    refine_state = load_checkpoint(refine_path, args.trust_pickle)

    coarse = derive_coarse(coarse_state, coarse_model, coarse_path)
    refine = derive_refine(refine_state, refine_path)
    assumed = []
    flag_dil = parse_ints(args.aspp_dilations, "--aspp-dilations") if args.aspp_dilations else None
    flag_rdil = (parse_ints(args.refine_aspp_dilations, "--refine-aspp-dilations")
                 if args.refine_aspp_dilations else None)
    set_aspp_dilations(coarse, coarse_model, "coarse", flag_dil, "--aspp-dilations",
                       args.assume_defaults, assumed)
    set_aspp_dilations(refine, refine_model, "refine", flag_rdil, "--refine-aspp-dilations",
                       args.assume_defaults, assumed)
    scale = resolve(args.ocr_scale, (coarse_model.get("ocr") or {}).get("scale"),
                    MODELSCOPE_OCR_SCALE, args.assume_defaults, "ocr.scale", assumed)
    if not isinstance(scale, int) or scale < 1:
        raise ConvertError("ocr.scale must be a positive integer, got %r" % (scale,))
    coarse["ocr"]["scale"] = scale
    for line in assumed:
        log("assumed " + line + " (--assume-defaults)")

    cfg_k = coarse_model.get("class_num")
    if cfg_k is not None and cfg_k != coarse["class_num"]:
        log("configuration.json class_num %s differs from the checkpoint's %d; using the "
            "checkpoint" % (cfg_k, coarse["class_num"]))
    name = args.name or "modelscope-" + os.path.basename(os.path.normpath(args.model_dir))
    full = {"name": name, "version": "1", "preprocess": preprocess_from(config),
            "coarse": coarse, "refine": refine}
    strict_check("coarse (%s)" % coarse_path, nets.CoarseNet(full), coarse_state)
    strict_check("refine (%s)" % refine_path, nets.RefineNet(full), refine_state)
    export.export_states(coarse_state, refine_state, full, args.output, f16=args.f16)
    print("wrote %s: %s, %s, %d+%d tensors%s" % (
        args.output, coarse["architecture"], "tail" if coarse["tail"] else "no tail",
        sum(1 for k in coarse_state if not k.endswith("num_batches_tracked")),
        sum(1 for k in refine_state if not k.endswith("num_batches_tracked")),
        ", float16" if args.f16 else ""))


def main(argv):
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir", help="ModelScope model directory")
    ap.add_argument("-o", "--output", required=True, help="output .safetensors file")
    ap.add_argument("--aspp-dilations", help="coarse ASPP dilations, e.g. 1,6,12,18")
    ap.add_argument("--refine-aspp-dilations", help="refine ASPP dilations, e.g. 1,6,12,18")
    ap.add_argument("--ocr-scale", type=int, help="OCR object-attention pooling scale (1 = none)")
    ap.add_argument("--assume-defaults", action="store_true",
                    help="use dilations 1,6,12,18 and OCR scale 1 where neither an option nor "
                         "configuration.json gives them (prints what it assumed)")
    ap.add_argument("--trust-pickle", action="store_true",
                    help="allow the full pickle loader if the safe loader refuses a checkpoint "
                         "(can execute code from the file)")
    ap.add_argument("--f16", action="store_true", help="store the tensors as float16")
    ap.add_argument("--name", help="model name recorded in the file")
    args = ap.parse_args(argv)
    try:
        convert(args)
    except ConvertError as e:
        log(str(e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
