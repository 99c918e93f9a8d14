"""Mask inference of the original, stage by stage (spec sections 1.3 and 1.4).

The picture is uint8 H x W x 3 RGB. Preprocessing is bit-exact float32 arithmetic; the
networks run in the dtype of their parameters (float32, or float64 for stability checks).

Command line: infer.py MODEL PICTURE -o MASK.pfm  writes the float32 mask as PFM.
"""

import argparse
import sys

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from tools.reference.canvas import fit_size, pad_amounts


def fit_resize(picture, canvas):
    h, w = picture.shape[:2]
    nh, nw = fit_size(h, w, canvas)
    if (nh, nw) == (h, w):
        return picture.copy()
    return cv2.resize(picture, (nw, nh), interpolation=cv2.INTER_LINEAR)


def pad_center(picture, canvas):
    left, top, right, bottom = pad_amounts(picture.shape[0], picture.shape[1], canvas)
    padded = cv2.copyMakeBorder(picture, top, bottom, left, right, cv2.BORDER_CONSTANT,
                                value=(0, 0, 0))
    return padded, (left, top, right, bottom)


def normalize(padded, mean, std):
    """uint8 H x W x 3 RGB -> float32 [1, 3, H, W], (x/255 - mean)/std in float32."""
    x = padded.astype(np.float32) / np.float32(255.0)
    m = np.asarray(mean, dtype=np.float32)
    s = np.asarray(std, dtype=np.float32)
    x = (x - m) / s
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)[None]))


def preprocess(picture, pre):
    """Returns dict: resized (uint8), pad (l,t,r,b), x (float32 tensor [1,3,R,R])."""
    resized = fit_resize(picture, pre["refine_size"])
    padded, pad = pad_center(resized, pre["refine_size"])
    return {"resized": resized, "pad": pad, "x": normalize(padded, pre["mean"], pre["std"])}


def bilinear_ac(t, size):
    return F.interpolate(t, size=(size, size), mode="bilinear", align_corners=True)


def unpad(alpha, pad):
    left, top, right, bottom = pad
    h, w = alpha.shape
    return alpha[top:h - bottom, left:w - right]


def coarse_views(pre):
    """(sizes, flip) of the model's coarse views (preprocess.coarse_views); None for the plain
    single view at coarse_size."""
    views = pre.get("coarse_views")
    if not views:
        return None
    return views["sizes"], views["flip"]


def coarse_scores(coarse, x, pre):
    """Per-class scores at the refine canvas whose argmax is the label: the coarse logits
    resized to the canvas, or with coarse views, the sum over the sizes of the class
    probabilities at each size (plus those of the mirrored view, mirrored back, at the same
    resolution), resized to the canvas. Returns (xc, out_aux, out, scores); xc and the outputs
    are the plain view's at coarse_size."""
    xc = bilinear_ac(x, pre["coarse_size"])
    out_aux, out = coarse(xc)
    views = coarse_views(pre)
    if views is None:
        return xc, out_aux, out, bilinear_ac(out, pre["refine_size"])
    sizes, flip = views
    total = 0
    for size in sizes:
        xv = bilinear_ac(x, size)
        logits = out if size == pre["coarse_size"] else coarse(xv)[1]  # xv is xc there
        probs = torch.softmax(logits, dim=1)
        if flip:
            mirrored = torch.softmax(coarse(torch.flip(xv, [3]))[1], dim=1)
            probs = probs + torch.flip(mirrored, [3])
        total = total + bilinear_ac(probs, pre["refine_size"])
    return xc, out_aux, out, total


def run_networks(coarse, refine, x, pre, label=None):
    """x: [1,3,R,R] tensor (cast to the networks' dtype). Returns every intermediate as numpy;
    logits_up holds the label's scores (coarse_scores). label: [1,1,R,R] 0/1 tensor given to
    the refiner instead of the coarse net's (a measuring aid: eval.py --label-from-truth)."""
    dtype = next(coarse.parameters()).dtype
    x = x.to(dtype)
    with torch.no_grad():
        xc, out_aux, out, logits_up = coarse_scores(coarse, x, pre)
        if label is None:
            label = torch.argmax(logits_up, dim=1, keepdim=True)
        label = label.to(dtype)
        refine_in = torch.cat([x, label], 1)
        refine_logits = refine.forward_logits(refine_in)
        alpha = refine.alpha(refine_logits)
    stages = {"x": x, "xc": xc, "out_aux": out_aux, "out": out, "logits_up": logits_up,
              "label": label, "refine_in": refine_in, "refine_logits": refine_logits,
              "alpha": alpha}
    return {k: v.numpy() for k, v in stages.items()}


def finish_mask(alpha, pad, height, width):
    """[1,R,R] alpha -> unpadded alpha and the mask at the picture size (OpenCV bilinear)."""
    a = unpad(alpha[0], pad)
    mask = cv2.resize(np.ascontiguousarray(a), (width, height), interpolation=cv2.INTER_LINEAR)
    return a, mask


def infer_mask(coarse, refine, picture, pre, label_of=None):
    """Every stage of the mask inference of one uint8 RGB picture, as a dict of numpy arrays
    plus `pad` (left, top, right, bottom) and `resized_size` (h, w). label_of(preprocessed):
    the refiner's label instead of the coarse net's (see run_networks)."""
    p = preprocess(picture, pre)
    stages = run_networks(coarse, refine, p["x"], pre, label_of(p) if label_of else None)
    h, w = picture.shape[:2]
    stages["alpha_unpadded"], stages["mask"] = finish_mask(stages["alpha"], p["pad"], h, w)
    stages["pad"] = p["pad"]
    stages["resized_size"] = p["resized"].shape[:2]
    return stages


def write_pfm(path, image):
    """Grey float32 PFM, little-endian, rows bottom to top (the PFM convention)."""
    image = np.asarray(image, dtype="<f4")
    with open(path, "wb") as f:
        f.write(b"Pf\n%d %d\n-1.0\n" % (image.shape[1], image.shape[0]))
        f.write(np.ascontiguousarray(image[::-1]).tobytes())


def read_pfm(path):
    with open(path, "rb") as f:
        kind = f.readline().strip()
        if kind not in (b"Pf", b"PF"):
            raise ValueError("%s: not a PFM file" % path)
        dims = f.readline().split()
        width, height = int(dims[0]), int(dims[1])
        scale = float(f.readline().strip())
        channels = 1 if kind == b"Pf" else 3
        data = np.frombuffer(f.read(), dtype="<f4" if scale < 0 else ">f4")
    if data.size != width * height * channels:
        raise ValueError("%s: truncated PFM data" % path)
    shape = (height, width) if channels == 1 else (height, width, 3)
    return data.reshape(shape)[::-1].astype(np.float32)


def read_picture(path):
    """uint8 RGB picture (EXIF orientation applied by OpenCV's default reader flags)."""
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError("%s: cannot read picture" % path)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def main(argv):
    from tools.reference import safetensors_io
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("picture")
    ap.add_argument("-o", "--output", required=True, help="mask as float32 PFM")
    ap.add_argument("--float64", action="store_true", help="run the networks in float64")
    args = ap.parse_args(argv)
    coarse, refine, config = safetensors_io.load_networks(args.model)
    if args.float64:
        coarse.double()
        refine.double()
    stages = infer_mask(coarse, refine, read_picture(args.picture), config["preprocess"])
    write_pfm(args.output, stages["mask"])
    return 0


if __name__ == "__main__":
    torch.set_num_threads(1)
    sys.exit(main(sys.argv[1:]))
