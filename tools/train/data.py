"""Training samples for the sky networks: labelled pairs, composites with exact alphas, sky swaps,
negatives, and the geometric / photometric augmentation that mimics users' photos.

A sample is (bgr uint8 HxW x3, alpha float32 HxW in [0,1], 1 = sky) at any size; `to_canvas`
then does exactly what inference does before the networks (spec 1.3): fit-resize into the
square refine canvas with round-half-up sizes, centre pad with black (left/top get the larger
half), RGB, x/255, ImageNet normalisation. The coarse input is derived from that canvas in the
training loop with the same align_corners=True bilinear resize as inference (spec 1.4).
"""
import csv
import glob
import math
import os

import cv2
import numpy as np

from tools.reference.canvas import IMAGENET_MEAN, IMAGENET_STD, fit_size, pad_amounts

# SKYCHANGE_DATA: a copy of the data elsewhere (a machine without ../shared)
DATA_ROOT = os.environ.get("SKYCHANGE_DATA") or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/data"))
MEAN = np.array(IMAGENET_MEAN, np.float32)
STD = np.array(IMAGENET_STD, np.float32)
MAX_SIDE = 800  # stored pictures are reduced to this long side; crops are taken from them


def _read_bgr(path):
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        raise IOError("%s: cannot read picture" % path)
    return img


def _shrink(img, max_side=MAX_SIDE):
    h, w = img.shape[:2]
    s = max_side / max(h, w)
    if s >= 1:
        return img
    return cv2.resize(img, (max(1, round(w * s)), max(1, round(h * s))),
                      interpolation=cv2.INTER_AREA)


def load_pairs(split, root=DATA_ROOT):
    """[(name, bgr uint8, alpha float32)] of sky-matting/<split>."""
    pairs = []
    images = glob.glob(os.path.join(root, "sky-matting", split, "images", "*"))
    for img_path in sorted(p for p in images if p.endswith((".jpg", ".webp"))):
        name = os.path.splitext(os.path.basename(img_path))[0]
        a_path = os.path.join(root, "sky-matting", split, "alphas", name + ".png")
        alpha = cv2.imread(a_path, cv2.IMREAD_GRAYSCALE)
        if alpha is None:
            raise IOError("%s: cannot read alpha" % a_path)
        pairs.append((name, _read_bgr(img_path), alpha))
    if not pairs:
        raise IOError("%s: no pairs for split %s" % (root, split))
    return pairs


def to_canvas(bgr, alpha, size):
    """Inference preprocessing of a sample. Returns (x float32 3xSxS normalised RGB,
    alpha float32 SxS, valid float32 SxS: 1 inside the picture, 0 in the padding)."""
    h, w = bgr.shape[:2]
    nh, nw = fit_size(h, w, size)
    if (nh, nw) != (h, w):
        bgr = cv2.resize(bgr, (nw, nh), interpolation=cv2.INTER_LINEAR)
        alpha = cv2.resize(alpha, (nw, nh), interpolation=cv2.INTER_LINEAR)
    left, top, right, bottom = pad_amounts(nh, nw, size)
    canvas = np.zeros((size, size, 3), np.uint8)
    canvas[top:top + nh, left:left + nw] = bgr
    a = np.zeros((size, size), np.float32)
    a[top:top + nh, left:left + nw] = np.clip(alpha, 0, 1)
    valid = np.zeros((size, size), np.float32)
    valid[top:top + nh, left:left + nw] = 1
    x = (canvas[:, :, ::-1].astype(np.float32) / np.float32(255) - MEAN) / STD
    return np.ascontiguousarray(x.transpose(2, 0, 1)), a, valid


# ---------------------------------------------------------------------------------------------
# Sources

def read_pseudo_list(path, kind_repeats=None):
    """(picture, target) paths from a CSV with `picture` and `target` columns, relative to the
    CSV's folder unless absolute; rows with a non-empty `skip` column are left out (pictures
    whose teacher target was seen to be wrong). kind_repeats: {kind: n} lists the rows whose
    `kind` column is that kind n times, so that they are drawn n times as often."""
    folder = os.path.dirname(os.path.abspath(path))
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if not (r.get("skip") or "").strip()]
    repeats = kind_repeats or {}
    rows = [r for r in rows for _ in range(repeats.get(r.get("kind"), 1))]
    pairs = [tuple(os.path.join(folder, r[k]) for k in ("picture", "target")) for r in rows]
    missing = [p for pair in pairs for p in pair if not os.path.isfile(p)]
    if missing:
        raise IOError("%s: %d files missing, e.g. %s" % (path, len(missing), missing[0]))
    return pairs


def read_list(path):
    """The picture paths of a list file: one per line, relative to the list's folder unless
    absolute; '#' starts a comment."""
    folder = os.path.dirname(os.path.abspath(path))
    with open(path) as f:
        paths = [line.split("#", 1)[0].strip() for line in f]
    paths = [os.path.join(folder, p) for p in paths if p]
    missing = [p for p in paths if not os.path.isfile(p)]
    if missing:
        raise IOError("%s: %d pictures missing, e.g. %s (install the packages it names)"
                      % (path, len(missing), missing[0]))
    return paths


def _with_targets(pairs):
    """(bgr, soft sky target in [0, 1]) of (picture, target) paths, the target at the picture's
    size. A pair listed more than once (read_pseudo_list's kind_repeats) is read once and
    shared."""
    out, loaded = [], {}
    for picture, target in pairs:
        if (picture, target) in loaded:
            out.append(loaded[picture, target])
            continue
        bgr = _shrink(_read_bgr(picture))
        prob = cv2.imread(target, cv2.IMREAD_GRAYSCALE)
        if prob is None:
            raise IOError("%s: cannot read the target of %s" % (target, picture))
        loaded[picture, target] = (bgr, cv2.resize(prob, (bgr.shape[1], bgr.shape[0]),
                                                   interpolation=cv2.INTER_AREA)
                                   .astype(np.float32) / 255)
        out.append(loaded[picture, target])
    return out


class Sources:
    """Everything the sampler draws from, loaded once (a few hundred MB at most)."""

    def __init__(self, root=DATA_ROOT, teacher_dir=None, extra_negatives=(), pseudo=(),
                 hard_negatives=(), clouds=()):
        """teacher_dir: the teacher's sky probabilities of the training pictures, NAME.png;
        extra_negatives: paths of further sky-free pictures (read_list); pseudo: (picture,
        target) paths of unlabelled photographs with the teachers' sky targets
        (read_pseudo_list); hard_negatives: paths of sky-free pictures drawn as a pool of
        their own (Sampler.hard_negative_share); clouds: (picture, target) paths of
        photographs of clouds, drawn as a pool of their own (Sampler.clouds_share)."""
        self.pairs = []       # (bgr, alpha) with sky
        self.teacher = []     # the teacher's sky probability per pair, when teacher_dir is given
        self.negatives = []   # bgr of whole pictures without sky
        self.ground = []      # bgr of the sky-free bottom parts of pictures with sky
        for name, bgr, alpha8 in load_pairs("train", root):
            bgr = _shrink(bgr)
            alpha = cv2.resize(alpha8, (bgr.shape[1], bgr.shape[0]),
                               interpolation=cv2.INTER_AREA).astype(np.float32) / 255
            if alpha.max() > 0.5:
                self.pairs.append((bgr, alpha))
                if teacher_dir:
                    prob = cv2.imread(os.path.join(teacher_dir, name + ".png"),
                                      cv2.IMREAD_GRAYSCALE)
                    if prob is None:
                        raise IOError("%s: no teacher label for %s" % (teacher_dir, name))
                    self.teacher.append(cv2.resize(prob, (bgr.shape[1], bgr.shape[0]),
                                                   interpolation=cv2.INTER_LINEAR)
                                        .astype(np.float32) / 255)
                rows = np.nonzero(alpha.max(axis=1) > 0.02)[0]
                below = rows[-1] + 1 if len(rows) else 0
                if bgr.shape[0] - below >= 0.3 * bgr.shape[0]:
                    self.ground.append(bgr[below:])
            else:
                self.negatives.append(bgr)
        self.negatives += [_shrink(_read_bgr(p)) for p in extra_negatives]
        self.hard_negatives = [_shrink(_read_bgr(p)) for p in hard_negatives]
        self.pseudo = _with_targets(pseudo)  # (bgr, soft sky target) of unlabelled photographs
        self.clouds = _with_targets(clouds)
        self.foregrounds = []  # (bgr, sky alpha) with exact alpha
        for path in sorted(glob.glob(os.path.join(root, "foregrounds", "*.png"))):
            rgba = cv2.imread(path, cv2.IMREAD_UNCHANGED)
            if rgba is None or rgba.ndim != 3 or rgba.shape[2] != 4:
                raise IOError("%s: not an RGBA picture" % path)
            self.foregrounds.append((np.ascontiguousarray(rgba[:, :, :3]),
                                     1 - rgba[:, :, 3].astype(np.float32) / 255))
        self.skies = [_shrink(_read_bgr(p), 1024)
                      for p in sorted(glob.glob(os.path.join(root, "skies", "*.jpg")))]
        if not (self.pairs and self.negatives and self.ground and self.foregrounds and self.skies):
            raise IOError("%s: missing training sources" % root)


# ---------------------------------------------------------------------------------------------
# Sky plates

def synthetic_sky(rng, h, w):
    """A smooth gradient sky: day blue, overcast grey, dusk orange or night, with soft clouds."""
    kind = rng.choice(["day", "overcast", "dusk", "night"], p=[0.4, 0.2, 0.25, 0.15])
    if kind == "day":
        top, bottom = [rng.uniform(0.55, 0.85), rng.uniform(0.3, 0.55), rng.uniform(0.05, 0.3)], \
            [rng.uniform(0.85, 1), rng.uniform(0.75, 0.95), rng.uniform(0.6, 0.9)]
    elif kind == "overcast":
        g = rng.uniform(0.5, 0.95)
        top = [g * rng.uniform(0.95, 1.05)] * 3
        bottom = [min(1, g * rng.uniform(1.0, 1.15))] * 3
    elif kind == "dusk":
        top = [rng.uniform(0.3, 0.6), rng.uniform(0.15, 0.35), rng.uniform(0.1, 0.3)]
        bottom = [rng.uniform(0.2, 0.6), rng.uniform(0.4, 0.7), rng.uniform(0.7, 1.0)]
    else:
        top = [rng.uniform(0.02, 0.12), rng.uniform(0.01, 0.06), rng.uniform(0.0, 0.04)]
        bottom = [rng.uniform(0.1, 0.35), rng.uniform(0.08, 0.25), rng.uniform(0.05, 0.25)]
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None] ** rng.uniform(0.5, 2)
    sky = (1 - t) * np.float32(top) + t * np.float32(bottom)
    sky = np.broadcast_to(sky, (h, w, 3)).copy()
    if kind != "night" and rng.random() < 0.6:
        small = rng.random((max(2, h // 48), max(2, w // 32))).astype(np.float32)
        clouds = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
        clouds = np.clip((clouds - rng.uniform(0.4, 0.7)) * 3, 0, 1)[:, :, None]
        sky = sky * (1 - clouds) + clouds * rng.uniform(0.75, 1.0)
    if kind == "night" and rng.random() < 0.5:
        stars = rng.random((h, w)) > 0.998
        sky[stars] = rng.uniform(0.5, 1.0)
    return (np.clip(sky, 0, 1) * 255).astype(np.uint8)


def sky_plate(src, rng, h, w):
    """A sky picture of size h x w: a random crop of a sky plate, or a synthetic sky."""
    if rng.random() < 0.35:
        return synthetic_sky(rng, h, w)
    plate = src.skies[rng.integers(len(src.skies))]
    if rng.random() < 0.5:
        plate = plate[:, ::-1]
    ph, pw = plate.shape[:2]
    s = max(h / ph, w / pw) * rng.uniform(1.0, 1.6)
    plate = cv2.resize(plate, (max(w, int(pw * s + 1)), max(h, int(ph * s + 1))),
                       interpolation=cv2.INTER_LINEAR)
    y = rng.integers(plate.shape[0] - h + 1)
    x = rng.integers(plate.shape[1] - w + 1)
    return plate[y:y + h, x:x + w]


def night_sky(src, rng, h, w):
    """A dusk, blue-hour or night sky as a phone records it (float BGR in [0, 1]): a darkened
    sky plate, or a dark gradient with stars, in a third of the cases a Milky Way band."""
    if rng.random() < 0.3:
        sky = sky_plate(src, rng, h, w).astype(np.float32) / 255
        sky = sky ** np.float32(rng.uniform(1.2, 2.2)) * np.float32(rng.uniform(0.15, 0.6))
        return sky * np.float32([rng.uniform(1.0, 1.4), rng.uniform(0.85, 1.05), 0.8])
    top = np.float32([rng.uniform(0.02, 0.25), rng.uniform(0.01, 0.12), rng.uniform(0.0, 0.06)])
    horizon = rng.choice(["dusk", "blue", "glow"])  # sunset rim, blue hour, city glow
    if horizon == "dusk":
        bottom = np.float32([rng.uniform(0.05, 0.3), rng.uniform(0.2, 0.5), rng.uniform(0.4, 0.9)])
    elif horizon == "blue":
        bottom = np.float32([rng.uniform(0.3, 0.7), rng.uniform(0.2, 0.45), rng.uniform(0.1, 0.3)])
    else:
        bottom = np.float32([rng.uniform(0.05, 0.2), rng.uniform(0.1, 0.3), rng.uniform(0.15, 0.4)])
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None] ** np.float32(rng.uniform(0.5, 3))
    sky = np.broadcast_to((1 - t) * top + t * bottom, (h, w, 3)).copy()
    if rng.random() < 0.35:  # the Milky Way: a bright, mottled band across the frame
        angle = rng.uniform(0, np.pi)
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        dist = (xs - w * rng.uniform(0.2, 0.8)) * np.float32(np.sin(angle)) \
            - (ys - h * rng.uniform(0.2, 0.8)) * np.float32(np.cos(angle))
        width = rng.uniform(0.08, 0.25) * max(h, w)
        small = rng.random((max(2, h // 12), max(2, w // 12))).astype(np.float32)
        mottle = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
        band = np.exp(-(dist / width) ** 2) * np.clip(mottle, 0, 1) * rng.uniform(0.15, 0.45)
        sky += band[:, :, None] * np.float32([0.9, 0.95, 1.0])
    elif rng.random() < 0.4:  # clouds lit from below by the town
        small = rng.random((max(2, h // 40), max(2, w // 30))).astype(np.float32)
        clouds = np.clip((cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC) - 0.5) * 2,
                         0, 1)[:, :, None]
        sky = sky * (1 - clouds) + clouds * bottom * np.float32(rng.uniform(0.6, 1.3))
    stars = rng.random((h, w)) > rng.uniform(0.99, 0.999)
    sky[stars] += np.float32(rng.uniform(0.2, 0.9))
    return np.clip(sky, 0, 1)


def night_land(bgr, land, rng):
    """Land at dusk or night (float BGR in [0, 1]): much darker, tinted by the sky or by sodium
    lamps, and in half the cases lit windows and lamps with their glow. land: weight of land
    per pixel (1 - sky alpha); lights go only there."""
    img = bgr.astype(np.float32) / 255
    img = img ** np.float32(rng.uniform(1.3, 2.6)) * np.float32(rng.uniform(0.03, 0.45))
    tint = (np.float32([1.2, 0.95, 0.7]) if rng.random() < 0.5
            else np.float32([0.6, 0.85, 1.25]))  # BGR: blue-ish or sodium orange
    img = img * tint
    if rng.random() < 0.5:
        h, w = img.shape[:2]
        lights = np.zeros((h, w), np.float32)
        for _ in range(int(rng.integers(3, 40))):
            y, x = int(rng.integers(h)), int(rng.integers(w))
            if land[y, x] < 0.9:
                continue
            if rng.random() < 0.5:  # a lit window
                hh, ww = (int(v) for v in rng.integers(2, max(3, h // 30), size=2))
                lights[y:y + hh, x:x + ww] = 1.0
            else:
                lights[y, x] = 1.0
        glow = lights + cv2.GaussianBlur(lights, (0, 0), max(1.0, rng.uniform(0.003, 0.02) * w))
        glow = np.clip(glow * land, 0, 1)[:, :, None] * rng.uniform(0.6, 1.0)
        colour = np.float32([rng.uniform(0.4, 0.9), rng.uniform(0.7, 1.0), 1.0])
        img = img * (1 - glow) + glow * colour
    return np.clip(img, 0, 1)


def composite(fg_bgr, sky_alpha, sky_bgr):
    a = sky_alpha[:, :, None]
    return (a * sky_bgr.astype(np.float32) + (1 - a) * fg_bgr.astype(np.float32) + 0.5) \
        .clip(0, 255).astype(np.uint8)


# ---------------------------------------------------------------------------------------------
# Geometry

def random_crop(bgr, alpha, rng, min_area=0.3):
    h, w = bgr.shape[:2]
    area = rng.uniform(min_area, 1.0)
    aspect = math.exp(rng.uniform(math.log(0.5), math.log(2.0)))
    ch = int(min(h, round(math.sqrt(area * h * w / aspect))))
    cw = int(min(w, round(math.sqrt(area * h * w * aspect))))
    ch, cw = max(ch, 16), max(cw, 16)
    y = rng.integers(h - ch + 1) if h > ch else 0
    x = rng.integers(w - cw + 1) if w > cw else 0
    return bgr[y:y + ch, x:x + cw], alpha[y:y + ch, x:x + cw]


def random_rotate(bgr, alpha, rng, max_deg=6):
    h, w = bgr.shape[:2]
    deg = rng.uniform(-max_deg, max_deg)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    # Zoom in so that no border is needed: the rotated picture covers the whole frame.
    rad = math.radians(abs(deg))
    zoom = math.cos(rad) + math.sin(rad) * max(h / w, w / h)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, zoom)
    bgr = cv2.warpAffine(bgr, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    alpha = cv2.warpAffine(alpha, m, (w, h), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_REFLECT)
    return bgr, alpha


def occlude_top(bgr, alpha, src, rng):
    """Cover the top of the picture with a sky-free band whose lower edge is irregular, so the
    sky no longer touches the top border (overhangs, ceilings, branches, window frames)."""
    h, w = bgr.shape[:2]
    neg = src.negatives[rng.integers(len(src.negatives))]
    band = cv2.resize(neg, (w, h), interpolation=cv2.INTER_LINEAR)
    depth = rng.uniform(0.05, 0.35) * h
    knots = rng.uniform(-0.5, 1.0, size=max(2, int(rng.integers(2, 9))))
    edge = cv2.resize(knots[None].astype(np.float32), (w, 1), interpolation=cv2.INTER_LINEAR)[0]
    edge = depth * (0.6 + 0.4 * edge)
    rows = np.arange(h, dtype=np.float32)[:, None]
    cover = np.clip(edge[None, :] - rows + 0.5, 0, 1)
    bgr = composite(bgr, cover, band)
    return bgr, alpha * (1 - cover)


# ---------------------------------------------------------------------------------------------
# Photometry (float BGR in [0,1])

def photometric(img, alpha, rng):
    img = img * np.float32(2 ** rng.uniform(-0.8, 0.5))
    img = np.clip(img, 0, 1) ** np.float32(rng.uniform(0.75, 1.35))
    img = img * rng.uniform(0.82, 1.18, size=3).astype(np.float32)
    grey = img.mean(axis=2, keepdims=True)
    img = grey + (img - grey) * np.float32(rng.uniform(0.5, 1.4))
    a = alpha[:, :, None]
    if rng.random() < 0.2:  # backlit: the land is much darker than the sky
        img = img * (a + (1 - a) * np.float32(rng.uniform(0.15, 0.7)))
    if rng.random() < 0.15:  # haze towards a pale grey
        h = np.float32(rng.uniform(0.1, 0.5))
        img = img * (1 - h) + h * np.float32(rng.uniform(0.6, 0.95))
    if rng.random() < 0.12:  # dusk / night: darker, warmer or bluer
        img = np.clip(img, 0, 1) ** np.float32(rng.uniform(1.2, 2.2))
        tint = (np.float32([1.15, 0.95, 0.75]) if rng.random() < 0.5
                else np.float32([0.75, 0.9, 1.15]))  # BGR: blue-ish or orange-ish
        img = img * np.float32(rng.uniform(0.25, 0.7)) * tint
    return np.clip(img, 0, 1)


def defocus(bgr, rng):
    """A sky-free picture as a close-up would show it: the whole picture blurred far out of
    focus, in half the cases with a sharp elliptic subject left in the middle."""
    h, w = bgr.shape[:2]
    sigma = float(rng.uniform(0.01, 0.05)) * max(h, w)
    blurred = cv2.GaussianBlur(bgr, (0, 0), sigma)
    if rng.random() < 0.5:
        return blurred
    mask = np.zeros((h, w), np.float32)
    centre = (int(w * rng.uniform(0.3, 0.7)), int(h * rng.uniform(0.3, 0.7)))
    axes = (int(w * rng.uniform(0.1, 0.3)), int(h * rng.uniform(0.1, 0.3)))
    cv2.ellipse(mask, centre, axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
    return composite(blurred, cv2.GaussianBlur(mask, (0, 0), 3), bgr)


def degrade(bgr, rng):
    img = bgr
    if rng.random() < 0.15:
        k = rng.choice([3, 5])
        img = cv2.GaussianBlur(img, (k, k), 0)
    if rng.random() < 0.3:
        noise = rng.normal(0, rng.uniform(2, 10), img.shape).astype(np.float32)
        img = np.clip(img.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    if rng.random() < 0.3:
        ok, enc = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(30, 92))])
        if ok:
            img = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    return img


# ---------------------------------------------------------------------------------------------
# Sampler

class Sampler:
    """Draws augmented samples. The kinds and their shares:
    labelled pair 68 % (25 % of them with a swapped sky), foreground tile over a sky 12 %,
    sky-free picture 12 %, labelled pair with darkened, noisy night look 8 %; plate_share,
    night_boost and negative_boost shift them (all 0 in the first recipe)."""

    def __init__(self, src):
        self.src = src
        # Share of samples made sky-free on top of the 12 % above (0: the draws stay as they are).
        self.negative_boost = 0.0
        # Shares of samples made all-sky (a sky plate or synthetic sky, alpha 1 everywhere)
        # and given the night look, drawn before the kinds above (0: the draws stay as
        # they are).
        self.plate_share = 0.0
        self.night_boost = 0.0
        # Share of sky-free samples made out of focus (close-ups with a blurred background):
        # smooth, bright regions that are not sky, against the all-sky samples.
        self.bokeh_share = 0.0
        # Weight of the teacher's probability in the target of labelled pairs whose sky is
        # not swapped (0: the human label alone).
        self.teacher_weight = 0.0
        # Shares of samples made night scenes (labelled land darkened, with lamps, under a
        # night sky) and sky-free pictures at night (0: the draws stay as they are).
        self.night_scene = 0.0
        self.night_negatives = 0.0
        # Share of samples with still water mirroring the sky below the land, and the least
        # height of the shore between them, a share of the picture (0: 4 pixels).
        self.reflection_share = 0.0
        self.reflection_shore = 0.0
        # Share of samples drawn from the unlabelled photographs with the teachers' targets
        # (Sources.pseudo): real night, dusk, fog and backlit skies, which no labelled source
        # has and synthetic darkening of daylight pictures did not teach.
        self.pseudo_share = 0.0
        # Share of sky-free draws taken from Sources.hard_negatives: real close-ups whose
        # blurred warm glow passes for a dusk sky, too few to be drawn often from the
        # sky-free pool they would join.
        self.hard_negative_share = 0.0
        # Share of the night sky-free samples taken from Sources.hard_negatives: a leaf or
        # candle close-up darkened is what was called sky at night, while darkened walls and
        # streets in numbers make dim fog and dusk skies read as ground (0: the night
        # sky-free samples draw from the whole sky-free pool).
        self.night_hard_share = 0.0
        # 1: the night sky-free samples never draw the real close-ups (darkened and out of
        # focus, they look like fog, which v11 then called ground).
        self.night_soft_only = 0
        # Share of samples drawn from Sources.clouds: storm, rain and low grey clouds over a
        # strip of ground, whose dark, smooth regions were taken for ground. Drawn after the
        # pseudo-labelled photographs, with the night look as often as the labelled pairs
        # (0: the draws stay as they are).
        self.clouds_share = 0.0
        # Share of samples drawn first as labelled pairs with their own sky (no swapped sky,
        # no night look): the blown-out white skies beside pale walls and the sky through
        # foliage of the street pictures, which the coarse net underfits (0: the draws stay
        # as they are).
        self.real_pair_share = 0.0

    def _pair(self, rng, swap):
        i = rng.integers(len(self.src.pairs))
        bgr, alpha = self.src.pairs[i]
        if swap:
            bgr = composite(bgr, alpha, sky_plate(self.src, rng, *bgr.shape[:2]))
        elif self.teacher_weight:
            w = np.float32(self.teacher_weight)
            alpha = (1 - w) * alpha + w * self.src.teacher[i]
        return bgr, alpha

    def _foreground(self, rng):
        fg, alpha = self.src.foregrounds[rng.integers(len(self.src.foregrounds))]
        return composite(fg, alpha, sky_plate(self.src, rng, *fg.shape[:2])), alpha

    def _all_sky(self, rng):
        """A picture that is sky everywhere, as users pass with --sky: a crop of a sky plate
        (moon, planets and fantasy objects in it count as sky) or a synthetic sky."""
        h, w = (int(v) for v in rng.integers(160, 720, size=2))
        return sky_plate(self.src, rng, h, w), np.ones((h, w), np.float32)

    def _night_scene(self, rng):
        """Labelled land at night under a night sky: phone photos at dusk and night, skylines
        with lit windows, silhouettes against the last light, the Milky Way over a dark ridge."""
        if rng.random() < 0.6:
            bgr, alpha = self.src.pairs[rng.integers(len(self.src.pairs))]
        else:
            bgr, alpha = self.src.foregrounds[rng.integers(len(self.src.foregrounds))]
        h, w = bgr.shape[:2]
        a = alpha[:, :, None]
        img = a * night_sky(self.src, rng, h, w) + (1 - a) * night_land(bgr, 1 - alpha, rng)
        return (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8), alpha

    def _reflection(self, rng):
        """Still water below the land: the upper part of a labelled picture mirrored beneath
        itself, darker, tinted and rippled. The mirrored sky is water, so its alpha is 0 (a
        calm lake at dusk shows the sky as brightly as the sky itself)."""
        for _ in range(8):
            bgr, alpha = self.src.pairs[rng.integers(len(self.src.pairs))]
            rows = np.nonzero(alpha.max(axis=1) > 0.5)[0]
            h = bgr.shape[0]
            if len(rows) and rows[-1] + 8 < h:
                break
        lowest = rows[-1] + 1 if len(rows) else h // 2
        # a strip of land above the water, as on a lake shore: the mirror shows sky. At least
        # reflection_shore x the height, so that a symmetric bright band across a thin line
        # (a dusk glow just above the horizon) is not taught as water.
        shore = max(4, int(self.reflection_shore * h))
        cut = min(h, lowest + shore + int(rng.uniform(0.0, 0.2) * h))
        top, top_alpha = bgr[:cut], alpha[:cut]
        depth = max(8, int(cut * rng.uniform(0.3, 1.0)))
        water = top[::-1][:depth].astype(np.float32) / 255
        shift = (rng.uniform(0, 3) * np.sin(np.arange(depth) * rng.uniform(0.2, 1.2)
                                             + rng.uniform(0, 6))).astype(np.float32)
        mx = np.tile(np.arange(top.shape[1], dtype=np.float32), (depth, 1)) + shift[:, None]
        my = np.tile(np.arange(depth, dtype=np.float32)[:, None], (1, top.shape[1]))
        water = cv2.remap(water, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        water = cv2.GaussianBlur(water, (1, 0), sigmaX=0.1, sigmaY=float(rng.uniform(0.5, 3)))
        tint = np.float32([rng.uniform(0.9, 1.15), rng.uniform(0.9, 1.1), rng.uniform(0.75, 1.0)])
        water = water * np.float32(rng.uniform(0.45, 0.95)) * tint
        img = np.concatenate([top.astype(np.float32) / 255, np.clip(water, 0, 1)])
        a = np.concatenate([top_alpha, np.zeros((depth, top.shape[1]), np.float32)])
        return (img * 255 + 0.5).astype(np.uint8), a

    def _night_negative(self, rng):
        """A sky-free picture at night: dark walls, street lamps and lit windows are not sky."""
        hard = self.src.hard_negatives
        if hard and self.night_hard_share and rng.random() < self.night_hard_share:
            neg = hard[rng.integers(len(hard))]
            alpha = np.zeros(neg.shape[:2], np.float32)
        else:
            neg, alpha = self._negative(rng, not self.night_soft_only)
        img = night_land(neg, np.ones(alpha.shape, np.float32), rng)
        return (img * 255 + 0.5).astype(np.uint8), alpha

    def _negative(self, rng, allow_hard=True):
        if rng.random() < 0.15:  # the land part of a foreground tile
            fg, alpha = self.src.foregrounds[rng.integers(len(self.src.foregrounds))]
            rows = np.nonzero(alpha.max(axis=1) > 0.02)[0]
            below = rows[-1] + 1 if len(rows) else 0
            if fg.shape[0] - below >= 32:
                part = fg[below:]
                return part, np.zeros(part.shape[:2], np.float32)
        hard = self.src.hard_negatives
        if hard and allow_hard and self.hard_negative_share \
                and rng.random() < self.hard_negative_share:
            neg = hard[rng.integers(len(hard))]  # already out of focus: no blur on top
            return neg, np.zeros(neg.shape[:2], np.float32)
        pool = self.src.negatives if rng.random() < 0.6 else self.src.ground
        neg = pool[rng.integers(len(pool))]
        if self.bokeh_share and rng.random() < self.bokeh_share:
            neg = defocus(neg, rng)
        return neg, np.zeros(neg.shape[:2], np.float32)

    def sample(self, rng, size=None):
        """One augmented (bgr, alpha). With `size`, the picture is already fit-resized (as
        inference does) into a size x size canvas before the photometric steps, which keeps
        them cheap and puts noise and JPEG artefacts at the scale the networks see."""
        r = rng.random()
        if self.negative_boost and rng.random() < self.negative_boost:
            r = 0.8 + 0.12 * rng.random()  # a value of the sky-free range below
        if self.night_boost and rng.random() < self.night_boost:
            r = 0.92 + 0.08 * rng.random()  # a value of the night range below
        night = None
        if self.night_scene and rng.random() < self.night_scene:
            night = self._night_scene
        if self.night_negatives and rng.random() < self.night_negatives:
            night = self._night_negative
        reflection = self.reflection_share and rng.random() < self.reflection_share
        if self.real_pair_share and rng.random() < self.real_pair_share:
            bgr, alpha = self._pair(rng, False)
            r = 0.0
        elif self.pseudo_share and rng.random() < self.pseudo_share:
            bgr, alpha = self.src.pseudo[rng.integers(len(self.src.pseudo))]
            r = 0.0  # a real photograph as it was taken: no night look on top
        elif self.clouds_share and rng.random() < self.clouds_share:
            bgr, alpha = self.src.clouds[rng.integers(len(self.src.clouds))]
        elif self.plate_share and rng.random() < self.plate_share:
            bgr, alpha = self._all_sky(rng)
        elif reflection:
            bgr, alpha = self._reflection(rng)
        elif night is not None:
            bgr, alpha = night(rng)
            r = 0.0  # already dark: no second night look
        elif r < 0.68:
            bgr, alpha = self._pair(rng, rng.random() < 0.25)
        elif r < 0.8:
            bgr, alpha = self._foreground(rng)
        elif r < 0.92:
            bgr, alpha = self._negative(rng)
        else:
            bgr, alpha = self._pair(rng, False)
        bgr, alpha = random_crop(bgr, alpha, rng)
        if rng.random() < 0.5:
            bgr, alpha = bgr[:, ::-1], alpha[:, ::-1]
        if rng.random() < 0.3:
            bgr, alpha = random_rotate(np.ascontiguousarray(bgr), np.ascontiguousarray(alpha),
                                       rng)
        bgr, alpha = np.ascontiguousarray(bgr), np.ascontiguousarray(alpha, np.float32)
        if alpha.max() > 0.5 and rng.random() < 0.12:
            bgr, alpha = occlude_top(bgr, alpha, self.src, rng)
        if size is not None:
            nh, nw = fit_size(*bgr.shape[:2], size)
            if (nh, nw) != bgr.shape[:2]:
                bgr = cv2.resize(bgr, (nw, nh), interpolation=cv2.INTER_LINEAR)
                alpha = cv2.resize(alpha, (nw, nh), interpolation=cv2.INTER_LINEAR)
        img = photometric(bgr.astype(np.float32) / 255, alpha, rng)
        if r >= 0.92:  # night look: strong darkening and sensor noise
            img = np.clip(img, 0, 1) ** np.float32(rng.uniform(1.5, 2.5)) \
                * np.float32(rng.uniform(0.2, 0.6))
            img = img + rng.normal(0, rng.uniform(0.005, 0.03), img.shape).astype(np.float32)
        bgr = (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)
        return degrade(bgr, rng), alpha

    def batch(self, rng, n, size):
        """n samples on the inference canvas: (x [n,3,S,S], alpha [n,S,S], valid [n,S,S])."""
        xs, alphas, valids = [], [], []
        for _ in range(n):
            x, a, v = to_canvas(*self.sample(rng, size), size)
            xs.append(x)
            alphas.append(a)
            valids.append(v)
        return np.stack(xs), np.stack(alphas), np.stack(valids)


def save_preview(path, n=16, size=256, seed=0):
    """A contact sheet of samples (picture | alpha) for checking the augmentation by eye."""
    rng = np.random.default_rng(seed)
    sampler = Sampler(Sources())
    tiles = []
    for _ in range(n):
        bgr, alpha = sampler.sample(rng)
        x, a, _ = to_canvas(bgr, alpha, size)
        rgb = ((x.transpose(1, 2, 0) * STD + MEAN) * 255).clip(0, 255).astype(np.uint8)
        tiles.append(np.concatenate([rgb[:, :, ::-1], np.repeat((a * 255).astype(np.uint8)
                                                                [:, :, None], 3, 2)], 1))
    rows = [np.concatenate(tiles[i:i + 4], 1) for i in range(0, n, 4)]
    cv2.imwrite(path, np.concatenate(rows, 0))


if __name__ == "__main__":
    import sys
    save_preview(sys.argv[1] if len(sys.argv) > 1 else "/tmp/train/preview.png")
