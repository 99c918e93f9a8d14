#!/usr/bin/python3
"""Writes tests/data/blend/: per-primitive fixtures computed with OpenCV and
whole-blend fixtures computed with tools/reference/blend.py.

File format (read by tests/blend/helper_fixture.c), little-endian:
    b"SCFX", int32 dtype (0 uint8, 1 float32, 2 int16, 3 int32), int32 ndim,
    int32 dims[ndim], then the array in C order.

Run: /usr/bin/python3 -m tools.reference.make_blend_fixtures [out_dir]
"""
import argparse
import os
import struct

import cv2
import numpy as np

from tools.reference import blend as ref

DTYPES = {np.dtype(np.uint8): 0, np.dtype(np.float32): 1, np.dtype(np.int16): 2,
          np.dtype(np.int32): 3}


def save(out_dir, name, arr):
    arr = np.ascontiguousarray(arr)
    with open(os.path.join(out_dir, name + ".bin"), "wb") as f:
        f.write(b"SCFX")
        f.write(struct.pack("<ii", DTYPES[arr.dtype], arr.ndim))
        f.write(struct.pack("<%di" % arr.ndim, *arr.shape))
        f.write(arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes())


def smooth_field(rng, h, w, cells=4):
    """A smooth random field in [0, 1]."""
    coarse = rng.random((cells, cells)).astype(np.float32)
    return np.clip(cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC), 0, 1)


def primitives(out, rng):
    # resize uint8: up, down, odd channel counts, the exact-2x area case.
    for name, (sw, sh, ch, dw, dh) in {
            "resize_u8_up3": (37, 23, 3, 50, 31), "resize_u8_down3": (64, 48, 3, 29, 17),
            "resize_u8_1ch": (33, 41, 1, 20, 77), "resize_u8_area2x": (42, 30, 3, 21, 15),
            "resize_u8_4ch": (17, 13, 4, 40, 9)}.items():
        src = rng.integers(0, 256, (sh, sw, ch), dtype=np.uint8)
        dst = cv2.resize(src, (dw, dh), interpolation=cv2.INTER_LINEAR).reshape(dh, dw, ch)
        save(out, name + "_src", src)
        save(out, name + "_dst", dst)
    for name, (sw, sh, dw, dh) in {
            "resize_f32_up": (29, 17, 61, 40), "resize_f32_down": (97, 83, 31, 26),
            "resize_f32_area2x": (46, 30, 23, 15), "resize_f32_x10": (9, 7, 90, 70),
            "resize_f32_mixed": (50, 20, 31, 45)}.items():
        src = (rng.random((sh, sw)) * 255).astype(np.float32)
        save(out, name + "_src", src)
        save(out, name + "_dst", cv2.resize(src, (dw, dh)))
    rng.random((19, 23))  # kept so that the later fixtures draw the same numbers
    src = (rng.random((19, 21)) * 255).astype(np.float32)
    save(out, "morph_src", src)
    for k in (3, 4, 5, 6, 7):
        e = np.ones((k, k), np.uint8)
        save(out, "close_k%d" % k, cv2.morphologyEx(src, cv2.MORPH_CLOSE, e))
    rng.integers(0, 256, (5, 7, 3), dtype=np.uint8)  # kept for the same reason
    for w, h in ((37, 29), (1, 5), (2, 3), (3, 4), (5, 7), (9, 2), (16, 16), (33, 11), (70, 9)):
        src = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        save(out, "pyrdown_u8_%dx%d_src" % (w, h), src)
        save(out, "pyrdown_u8_%dx%d_dst" % (w, h), cv2.pyrDown(src).reshape((h + 1) // 2, (w + 1) // 2, 3))
        srcf = rng.random((h, w)).astype(np.float32)
        save(out, "pyrdown_f32_%dx%d_src" % (w, h), srcf)
        save(out, "pyrdown_f32_%dx%d_dst" % (w, h), cv2.pyrDown(srcf).reshape((h + 1) // 2, (w + 1) // 2))
    for w, h in ((19, 13), (1, 1), (1, 4), (6, 1), (8, 8)):
        src = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        save(out, "pyrup_u8_%dx%d_src" % (w, h), src)
        save(out, "pyrup_u8_%dx%d_dst" % (w, h), cv2.pyrUp(src).reshape(2 * h, 2 * w, 3))
        src = rng.integers(-300, 300, (h, w, 3)).astype(np.int16)
        save(out, "pyrup_s16_%dx%d_src" % (w, h), src)
        save(out, "pyrup_s16_%dx%d_dst" % (w, h), cv2.pyrUp(src).reshape(2 * h, 2 * w, 3))
    m = (smooth_field(rng, 40, 57, 6) * 255).astype(np.float32)
    rect, best = ref.largest_valid_rect(m > 100)
    save(out, "rect_mask", m)
    save(out, "rect_expected", np.array(list(rect) + [best], np.int32))


def scene_pair(rng, sh, sw, horizon, hard):
    """A scene whose sky is above a wavy horizon (fraction of the height)."""
    img = rng.integers(0, 256, (sh, sw, 3), dtype=np.uint8)
    img = cv2.GaussianBlur(img, (0, 0), 2)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    line = sh * horizon * (1 + 0.15 * np.sin(xx / sw * 7))
    with np.errstate(over="ignore"):
        alpha = 1 / (1 + np.exp((yy - line) / (0.3 if hard else 2.5)))
    return img, alpha.astype(np.float32)


def sky_pair(rng, kh, kw, kind):
    img = cv2.GaussianBlur(rng.integers(0, 256, (kh, kw, 3), dtype=np.uint8), (0, 0), 1.5)
    if kind == "full":  # clear sky everywhere: the rectangle is the whole photo
        alpha = 0.55 + 0.45 * smooth_field(rng, kh, kw)
    elif kind == "away":  # sky in a box away from the top-left corner
        alpha = np.zeros((kh, kw), np.float32)
        alpha[kh // 4:kh * 3 // 4, kw // 3:kw - 3] = 1
        alpha = cv2.blur(alpha, (3, 3))
    else:  # "none": only a clear spot smaller than the minimum area
        alpha = 0.3 * smooth_field(rng, kh, kw)
        alpha[10:16, 20:28] = 1
    return img, alpha.astype(np.float32)


def whole_blend(out, rng):
    cases = {
        # name: scene (h, w, horizon, hard), sky (h, w, kind)
        "land_corner": ((47, 61, 0.45, False), (59, 83, "full")),
        "port_away": ((71, 39, 0.5, True), (97, 70, "away")),
        "big_sky_away": ((64, 90, 0.4, False), (280, 300, "away")),
        "wide_corner": ((33, 120, 0.6, True), (258, 300, "full")),
    }
    for name, ((sh, sw, hz, hard), (kh, kw, kind)) in cases.items():
        scene, scene_alpha = scene_pair(rng, sh, sw, hz, hard)
        sky, sky_alpha = sky_pair(rng, kh, kw, kind)
        scene_mask = scene_alpha * np.float32(255)
        sky_mask = sky_alpha * np.float32(255)
        save(out, name + "_scene", scene)
        save(out, name + "_scene_alpha", scene_alpha)
        save(out, name + "_sky", sky)
        save(out, name + "_sky_alpha", sky_alpha)
        for compat in (True, False):
            r = ref.blend(scene, scene_mask, sky, sky_mask, compat=compat)
            tag = "compat" if compat else "fixed"
            save(out, "%s_%s_out_s16" % (name, tag), r["out_s16"])
            if compat:
                save(out, name + "_sky_w", r["sky_w"])
                save(out, name + "_scn_w", r["scn_w"])
                save(out, name + "_pano", r["pano"])
                save(out, name + "_rects", np.array(list(r["sky_rect"]) + list(r["scene_rect"]),
                                                    np.int32))
    # Properties: all weight on the scene; the scene pasted onto itself.
    scene, scene_alpha = scene_pair(np.random.default_rng(7), 47, 61, 0.45, False)
    h, w = scene_alpha.shape
    save(out, "prop_scene", scene)
    out_all = ref.multiband(scene, np.full((h, w), 255, np.float32), scene,
                            np.zeros((h, w), np.float32))
    save(out, "prop_all_scene_out_s16", out_all)
    alpha = scene_alpha.copy()
    alpha[0, :] = 1
    alpha[:, 0] = 1  # the sky box is the whole picture
    save(out, "prop_self_alpha", alpha)
    r = ref.blend(scene, alpha * np.float32(255), scene, np.ones((h, w), np.float32) * 255)
    save(out, "prop_self_out_s16", r["out_s16"])
    # A sky photo without usable sky, for the error path.
    sky, sky_alpha = sky_pair(rng, 50, 64, "none")
    save(out, "nosky_sky", sky)
    save(out, "nosky_sky_alpha", sky_alpha)
    rect, best, _, _ = ref.sky_rect(sky_alpha * np.float32(255))
    save(out, "nosky_best", np.array([best], np.int32))


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", nargs="?", default=os.path.join(root, "tests", "data", "blend"),
                    help="where the fixtures go (default: tests/data/blend)")
    out = ap.parse_args().out_dir
    os.makedirs(out, exist_ok=True)
    cv2.ocl.setUseOpenCL(False)
    rng = np.random.default_rng(20261126)
    primitives(out, rng)
    whole_blend(out, rng)


if __name__ == "__main__":
    main()
