"""Write a compact copy of the training data, for a machine without ../shared/data (a GPU
machine that receives at most a few tens of MB): the training pairs reduced to a shorter long
side and re-compressed, the DeepLab teacher's labels of them (129 x 129 grids), the
foregrounds and skies as they are. Point SKYCHANGE_DATA at it. Never commit the copy: the sources'
licences are in ../shared/data/README.md and tools/train/extra_photos.csv.

With --extra (the folder of tools/train/make_pseudo_lists.py), the photographs the links from
version 3 on train with are packed too, reduced the same way, into OUT/extra: the training
lists' photographs with their targets at the reduced size, the sky-free ones and close-ups,
and the Debian wallpaper negatives the lists name; the lists are rewritten with paths relative
to themselves. Point EXTRA at OUT/extra.

    python3 -m tools.train.pack_data OUT [--side 640] [--quality 80] [--format jpg]
                                         [--extra .data/extra]

With the defaults the pairs alone take about 90 MB; `--side 448 --format webp --quality 75
--extra .data/extra` packs everything in about 57 MB, under the 64 MiB a GPU machine receives.

Training on the copy is another draw of the recipe: its pictures are softer than the
originals, which train.py reduces to an 800 px long side.
"""
import argparse
import csv
import glob
import os
import shutil
import sys

import cv2

from tools.train import data

TEACHER = os.path.join("pretrained", "deeplab_sky", "sky-matting", "train")


class Packer:
    """Writes pictures reduced to `side` in one format, and grey maps at a given size."""

    def __init__(self, side, quality, fmt):
        self.side, self.fmt = side, fmt
        flag = cv2.IMWRITE_WEBP_QUALITY if fmt == "webp" else cv2.IMWRITE_JPEG_QUALITY
        self.params = [flag, quality]

    def picture(self, path, out_stem):
        """Reads `path`, writes it reduced to OUT_STEM.<format>; returns (that path, bgr)."""
        bgr = data._shrink(data._read_bgr(path), self.side)
        out = "%s.%s" % (out_stem, self.fmt)
        write(out, bgr, self.params)
        return out, bgr

    @staticmethod
    def grey(path, size, out):
        """The grey map at `path` resized to size (w, h), written to OUT as PNG."""
        grey = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        if grey is None:
            sys.exit("pack_data.py: %s: cannot read" % path)
        write(out, cv2.resize(grey, size, interpolation=cv2.INTER_AREA),
              [cv2.IMWRITE_PNG_COMPRESSION, 9])


def write(path, image, params):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if not cv2.imwrite(path, image, params):
        sys.exit("pack_data.py: %s: cannot write" % path)


def pack_pairs(src, dst, packer):
    """The training pairs with their alphas, reduced, and the teacher's labels; returns their
    count."""
    images = sorted(glob.glob(os.path.join(src, "sky-matting", "train", "images", "*.jpg")))
    if not images:
        sys.exit("pack_data.py: %s: no training pairs" % src)
    train_in = os.path.join(src, "sky-matting", "train")
    train_out = os.path.join(dst, "sky-matting", "train")
    for path in images:
        name = os.path.splitext(os.path.basename(path))[0]
        _, bgr = packer.picture(path, os.path.join(train_out, "images", name))
        size = (bgr.shape[1], bgr.shape[0])
        # At the picture's new size, as data.Sources would resize it.
        packer.grey(os.path.join(train_in, "alphas", name + ".png"), size,
                    os.path.join(train_out, "alphas", name + ".png"))
    shutil.copytree(os.path.join(src, TEACHER), os.path.join(dst, TEACHER))
    return len(images)


def packed_stem(path, extra):
    """A picture's path inside OUT/extra without its extension: its path under EXTRA, or
    debian/NAME for the wallpapers outside it."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(extra))
    if rel.startswith(".."):
        rel = os.path.join("debian", os.path.basename(path))
    return os.path.splitext(rel)[0]


def pack_extra(extra, out, packer):
    """The training lists of EXTRA with their photographs and targets, reduced. Returns the
    number of pictures written."""
    written = {}  # packed stem -> its path relative to OUT
    for name in ("pseudo_train.csv", "pseudo_train_more.csv", "clouds_train.csv"):
        with open(os.path.join(extra, name), newline="") as f:
            reader = csv.DictReader(f)
            fields, rows = reader.fieldnames, list(reader)
        for r in rows:
            stem = packed_stem(os.path.join(extra, r["picture"]), extra)
            if stem not in written:
                path, bgr = packer.picture(os.path.join(extra, r["picture"]),
                                           os.path.join(out, stem))
                written[stem] = os.path.relpath(path, out)
                packer.grey(os.path.join(extra, r["target"]), (bgr.shape[1], bgr.shape[0]),
                            os.path.join(out, r["target"]))
            r["picture"] = written[stem]
        with open(os.path.join(out, name), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            w.writerows(rows)
    for name in ("negatives_train.txt", "closeups_train.txt"):
        packed = []
        for path in data.read_list(os.path.join(extra, name)):
            stem = packed_stem(path, extra)
            if stem not in written:
                written[stem] = os.path.relpath(packer.picture(path, os.path.join(out, stem))[0],
                                                out)
            packed.append(written[stem])
        with open(os.path.join(out, name), "w") as f:
            f.write("".join(p + "\n" for p in packed))
    return len(written)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--source", default=data.DATA_ROOT)
    ap.add_argument("--side", type=int, default=640, help="long side of the training pictures")
    ap.add_argument("--quality", type=int, default=80, help="their JPEG or WebP quality")
    ap.add_argument("--format", choices=("jpg", "webp"), default="jpg",
                    help="their format (WebP is about a third smaller at the same quality)")
    ap.add_argument("--extra", help="also pack the photographs of this make_pseudo_lists folder")
    args = ap.parse_args()
    if os.path.exists(args.out):
        sys.exit("pack_data.py: %s exists; remove it or name another folder" % args.out)
    packer = Packer(args.side, args.quality, args.format)
    pairs = pack_pairs(args.source, args.out, packer)
    for sub, pattern in (("foregrounds", "*.png"), ("skies", "*.jpg")):
        os.makedirs(os.path.join(args.out, sub))
        for path in sorted(glob.glob(os.path.join(args.source, sub, pattern))):
            shutil.copy(path, os.path.join(args.out, sub))
    photos = pack_extra(args.extra, os.path.join(args.out, "extra"), packer) if args.extra else 0
    size = sum(os.path.getsize(os.path.join(d, f))
               for d, _, files in os.walk(args.out) for f in files)
    print("%s: %d training pairs with their teacher labels, foregrounds and skies, "
          "%d photographs, %.1f MB" % (args.out, pairs, photos, size / 1e6))


if __name__ == "__main__":
    main()
