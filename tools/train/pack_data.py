"""Write a compact copy of the training data, for a machine without ../shared/data (a GPU
machine that receives at most a few tens of MB): the training pairs reduced to a shorter long
side and re-compressed, the foregrounds and skies as they are. Point SKYCHANGE_DATA at it.
Never commit the copy: the sources' licences are in ../shared/data/README.md.

    python3 -m tools.train.pack_data OUT [--side 640] [--quality 80]   (about 47 MB with these)

Training on the copy is another draw of the recipe: its pictures are softer than the
originals, which train.py reduces to an 800 px long side.
"""
import argparse
import glob
import os
import shutil
import sys

import cv2

from tools.train import data


def pack_pairs(src, dst, side, quality):
    images = sorted(glob.glob(os.path.join(src, "sky-matting", "train", "images", "*.jpg")))
    if not images:
        sys.exit("pack_data.py: %s: no training pairs" % src)
    for sub in ("images", "alphas"):
        os.makedirs(os.path.join(dst, "sky-matting", "train", sub), exist_ok=True)
    for path in images:
        name = os.path.splitext(os.path.basename(path))[0]
        picture = data._shrink(data._read_bgr(path), side)
        alpha_path = os.path.join(src, "sky-matting", "train", "alphas", name + ".png")
        alpha = cv2.imread(alpha_path, cv2.IMREAD_GRAYSCALE)
        if alpha is None:
            sys.exit("pack_data.py: %s: cannot read alpha" % alpha_path)
        # The alpha at the picture's new size, as data.Sources would resize it.
        alpha = cv2.resize(alpha, (picture.shape[1], picture.shape[0]),
                           interpolation=cv2.INTER_AREA)
        out = os.path.join(dst, "sky-matting", "train")
        if not (cv2.imwrite(os.path.join(out, "images", name + ".jpg"), picture,
                            [cv2.IMWRITE_JPEG_QUALITY, quality])
                and cv2.imwrite(os.path.join(out, "alphas", name + ".png"), alpha,
                                [cv2.IMWRITE_PNG_COMPRESSION, 9])):
            sys.exit("pack_data.py: %s: cannot write" % out)
    return len(images)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--source", default=data.DATA_ROOT)
    ap.add_argument("--side", type=int, default=640, help="long side of the training pictures")
    ap.add_argument("--quality", type=int, default=80, help="their JPEG quality")
    args = ap.parse_args()
    if os.path.exists(args.out):
        sys.exit("pack_data.py: %s exists; remove it or name another folder" % args.out)
    pairs = pack_pairs(args.source, args.out, args.side, args.quality)
    for sub, pattern in (("foregrounds", "*.png"), ("skies", "*.jpg")):
        os.makedirs(os.path.join(args.out, sub))
        for path in sorted(glob.glob(os.path.join(args.source, sub, pattern))):
            shutil.copy(path, os.path.join(args.out, sub))
    size = sum(os.path.getsize(os.path.join(d, f))
               for d, _, files in os.walk(args.out) for f in files)
    print("%s: %d training pairs, foregrounds and skies, %.1f MB" % (args.out, pairs, size / 1e6))


if __name__ == "__main__":
    main()
