"""The DeepLabV3+ ADE20K teacher: picture (uint8 BGR, any size) -> sky probability (float32, HxW).

The traced network takes exactly 1x3x513x513 RGB in [-1, 1] (the picture resized without
keeping its aspect) and gives 151 class logits at 129x129; ADE20K class 3 is sky.
"""
import os

import cv2
import numpy as np
import torch

DEFAULT_PATH = os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "../../../shared/data/pretrained/deeplabv3_mnv2_ade20k.torchscript.pt"))
SIZE = 513
SKY_CLASS = 3


class DeepLab:
    def __init__(self, path=DEFAULT_PATH):
        self.net = torch.jit.load(path, map_location="cpu").eval()

    @torch.no_grad()
    def predict(self, bgr):
        img = cv2.resize(bgr, (SIZE, SIZE), interpolation=cv2.INTER_LINEAR)
        rgb = img[:, :, ::-1].astype(np.float32) / 127.5 - 1
        x = torch.from_numpy(np.ascontiguousarray(rgb.transpose(2, 0, 1)))[None]
        prob = torch.softmax(self.net(x), 1)[0, SKY_CLASS].numpy()
        return cv2.resize(prob, (bgr.shape[1], bgr.shape[0]), interpolation=cv2.INTER_LINEAR)
