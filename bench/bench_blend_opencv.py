#!/usr/bin/python3
"""OpenCV's side of bench_blend: cv2.detail_MultiBandBlender (10 bands, float
weights, CPU) on the pictures and weights bench_blend wrote, fed as the
original tool feeds it. Prints the time of one run (loading excluded) and how
many output values differ from ours (uint8 after clamping).

    bench_blend_opencv.py DIR WIDTH HEIGHT
"""
import os
import sys
import time

import cv2
import numpy as np


def load(d, name, shape):
    return np.fromfile(os.path.join(d, name), np.uint8).reshape(shape)


def main():
    d, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    cv2.ocl.setUseOpenCL(False)
    scene = load(d, "scene.u8", (h, w, 3))
    pano = load(d, "pano.u8", (h, w, 3))
    scene_w = load(d, "scene_w.u8", (h, w))
    sky_w = load(d, "sky_w.u8", (h, w))
    t0 = time.perf_counter()
    blender = cv2.detail_MultiBandBlender(1, 10)
    blender.prepare((0, 0, w, h))
    blender.feed(scene, scene_w, (0, 0))
    blender.feed(pano, sky_w, (0, 0))
    out, _ = blender.blend(None, None)
    seconds = time.perf_counter() - t0
    ours = load(d, "ours.u8", (h, w, 3))
    differ = int(np.count_nonzero(np.clip(out, 0, 255).astype(np.uint8) != ours))
    print("opencv_threads %d" % cv2.getNumThreads())
    print("opencv_multiband_s %.6f" % seconds)
    print("differing_values %d" % differ)


if __name__ == "__main__":
    main()
