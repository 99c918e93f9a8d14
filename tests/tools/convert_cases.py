"""Converter cases for test_convert.sh, in one process (torch loads once).

Usage: PYTHONPATH=SOURCE_DIR convert_cases.py WORK_DIR
Builds the synthetic ModelScope directories in WORK_DIR/dirs, converts every variant to
WORK_DIR/<variant>.safetensors and checks the refusals. Prints one line per failure; exit
status 1 if any.
"""

import contextlib
import io
import json
import os
import shutil
import sys

import torch

from tools import convert_modelscope
from tools.reference import make_fixtures
from tools.reference import make_modelscope_dir
from tools.reference import safetensors_io

WORK = sys.argv[1]

failures = []


def convert(directory, output, *options):
    """Runs the converter's command line; returns (exit status, stderr text)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = convert_modelscope.main([directory, "-o", output] + list(options))
    return status, err.getvalue()


def dilations(path):
    _, meta = safetensors_io.read(path)
    return json.loads(meta["config"])["coarse"]["aspp"]["dilations"]


dirs = os.path.join(WORK, "dirs")
with contextlib.redirect_stdout(io.StringIO()):
    make_modelscope_dir.main([dirs, "--no-dilations", "super_first_aspp"])

for name in make_fixtures.ORIGINAL_VARIANTS:
    out = os.path.join(WORK, name + ".safetensors")
    status, err = convert(os.path.join(dirs, name), out)
    if status != 0:
        failures.append("%s: conversion failed: %s" % (name, err.strip()))
        continue
    _, meta = safetensors_io.read(out)
    got = json.loads(meta["config"])
    with open(os.path.join(dirs, name, "reference_config.json")) as f:
        want = json.load(f)
    got.pop("name")
    want.pop("name")
    if got != want:
        failures.append("%s: converted config differs from the reference config" % name)

nodil = os.path.join(dirs, "super_first_aspp_nodil")
out = os.path.join(WORK, "nodil.safetensors")
status, err = convert(nodil, out)
if status == 0 or "dilations" not in err:
    failures.append("no refusal naming the dilations for a directory without them")
status, err = convert(nodil, out, "--assume-defaults")
if status != 0 or "assumed coarse aspp.dilations" not in err or dilations(out) != [1, 6, 12, 18]:
    failures.append("--assume-defaults did not convert with [1,6,12,18] and say so")
status, err = convert(nodil, out, "--aspp-dilations", "1,2,3,4")
if status != 0 or dilations(out) != [1, 2, 3, 4]:
    failures.append("--aspp-dilations was not applied")

bad = os.path.join(WORK, "bad")
shutil.copytree(os.path.join(dirs, "ocr_first_tail_scale2"), bad)
refine_file = os.path.join(bad, "unet_sky_matting_final_model.pkl")
ckpt = torch.load(refine_file, weights_only=True)
state = ckpt["model_state"]
del state["module.down2.conv2.cbr_unit.1.running_var"]  # this variant uses the `module.` prefix
state["module.extra.weight"] = torch.zeros(3)
torch.save(ckpt, refine_file)
status, err = convert(bad, os.path.join(WORK, "bad.safetensors"))
if status == 0 or "extra.weight" not in err or "down2.conv2.cbr_unit.1.running_var" not in err:
    failures.append("unexpected and missing keys not reported: %s" % err.strip())

for line in failures:
    print("FAIL: " + line)
sys.exit(1 if failures else 0)
