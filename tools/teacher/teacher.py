"""The U^2-Net-P sky teacher: picture (uint8 BGR, any size) -> sky probability (float32, HxW).

Follows the teacher's input convention: halve large pictures with a 2x2 pyramid step while
both sides exceed 768 px, resize (aspect not kept) to 384x384, RGB, ImageNet normalisation;
the output is resized bilinearly back to the picture size.
"""
import argparse
import os
import sys

import cv2
import numpy as np
import torch

from tools.reference.canvas import IMAGENET_MEAN, IMAGENET_STD
from tools.teacher.ncnn_graph import NcnnGraph

DEFAULT_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                            "../../../shared/data/teacher"))
MEAN = np.array(IMAGENET_MEAN, np.float32)
STD = np.array(IMAGENET_STD, np.float32)
SIZE = 384


class Teacher:
    def __init__(self, folder=DEFAULT_DIR):
        stem = os.path.join(folder, "skysegsmall_sim-opt-fp16")
        self.net = NcnnGraph(stem + ".param", stem + ".bin").eval()

    def _tensor(self, bgr):
        img = bgr
        while img.shape[0] > 768 and img.shape[1] > 768:
            img = cv2.pyrDown(img)
        img = cv2.resize(img, (SIZE, SIZE), interpolation=cv2.INTER_LINEAR)
        rgb = img[:, :, ::-1].astype(np.float32) / 255.0
        rgb = (rgb - MEAN) / STD
        return torch.from_numpy(np.ascontiguousarray(rgb.transpose(2, 0, 1)))

    @torch.no_grad()
    def predict_batch(self, bgr_list):
        x = torch.stack([self._tensor(b) for b in bgr_list])
        prob = self.net(x)[:, 0].numpy()
        return [cv2.resize(p, (b.shape[1], b.shape[0]), interpolation=cv2.INTER_LINEAR)
                for p, b in zip(prob, bgr_list)]

    def predict(self, bgr):
        return self.predict_batch([bgr])[0]


def main():
    ap = argparse.ArgumentParser(description="Sky probability from the teacher network")
    ap.add_argument("inputs", nargs="+", help="pictures")
    ap.add_argument("-o", "--outdir", required=True, help="folder for 8-bit alpha PNGs")
    ap.add_argument("--teacher-dir", default=DEFAULT_DIR)
    args = ap.parse_args()
    teacher = Teacher(args.teacher_dir)
    os.makedirs(args.outdir, exist_ok=True)
    for path in args.inputs:
        bgr = cv2.imread(path, cv2.IMREAD_COLOR)
        if bgr is None:
            sys.exit("%s: cannot read picture" % path)
        alpha = np.clip(teacher.predict(bgr) * 255 + 0.5, 0, 255).astype(np.uint8)
        out = os.path.join(args.outdir, os.path.splitext(os.path.basename(path))[0] + ".png")
        cv2.imwrite(out, alpha)


if __name__ == "__main__":
    main()
