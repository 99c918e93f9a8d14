#!/usr/bin/python3
"""Makes the project's example photos and the before/after examples.

1. photos: small versions (640 px wide, JPEG quality 90) of a few Debian
   wallpapers (packages lomiri-wallpapers-16.04 and -20.04, CC-BY / CC-BY-SA,
   see tests/data/photos/ATTRIBUTION.md) into tests/data/photos/;
2. mattes: hand-made sky mattes for them (a per-column horizon found from
   brightness and colour below a hand-set bound, smoothed), 8-bit PNG, 255 = sky;
3. skies: sky-only crops (all sky) of wallpapers into tests/data/skies/ for the sky-plate
   test, and the dusk scene summer_1am.jpg into tests/data/photos/;
4. examples: runs `skychange` with its default model (or, with --hand-mattes, with
   the hand-made mattes through --scene-alpha/--sky-alpha) and writes a
   before|after strip docs/examples/<scene>+<sky>_before_after.jpg.

    docs/examples/make_examples.py photos        # needs the wallpaper packages
    docs/examples/make_examples.py skies         # sky plates for tests/data/skies, dusk scene
    docs/examples/make_examples.py examples PATH/TO/skychange [--hand-mattes]
    docs/examples/make_examples.py gallery PATH/TO/skychange

5. gallery: the look controls, each on the same two scenes (plain | with the control),
   and --harmonize against plain on a day scene under a night and under a sunset sky,
   into docs/examples/gallery/ (with the default model's mattes).
"""
import os
import subprocess
import sys

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PHOTOS = os.path.join(ROOT, "tests", "data", "photos")
EXAMPLES = os.path.join(ROOT, "docs", "examples")
BACKGROUNDS = "/usr/share/backgrounds"

# name: (wallpaper file, lowest horizon as a fraction of the height at x = 0, 0.5, 1)
SOURCES = {
    "aitzgorri": ("aitzgorri_by_Aitzol_Berasategi.jpg", (0.30, 0.33, 0.33)),
    "sunset": ("sunset_by_Aitzol_Berasategi.jpg", (0.50, 0.52, 0.47)),
    "picos": ("picosdeeuropa_by_Aitzol_Berasategi.jpg", (0.22, 0.30, 0.25)),
    "infinite_sea": ("Infinite-Sea_by_Aury88.jpg", (0.728, 0.728, 0.728)),
}
SCENES = ["aitzgorri", "sunset"]
SKIES = ["picos", "infinite_sea"]

# Sky pictures (all sky) for the sky-plate test: name -> (wallpaper file, crop box x0, y0,
# x1, y1 as fractions of the picture).
PLASMA = "/usr/share/wallpapers/%s/contents/images/2560x1600.jpg"
SKY_PLATES = {
    "kite": (PLASMA % "Kite", (0, 0, 1, 1)),  # blue sky, cirrus, a kite
    "kite_clouds": (PLASMA % "Kite", (0, 0.44, 1, 1)),
    "evening_glow_clouds": (PLASMA % "EveningGlow", (0, 0, 0.5, 0.23)),
    "evening_glow_sunset": (PLASMA % "EveningGlow", (0.3, 0.1, 0.9, 0.26)),  # the glow
    "summer_1am_sky": (PLASMA % "summer_1am", (0, 0, 1, 0.55)),  # dusk gradient
    "storm_clouds": ("/usr/share/backgrounds/mate/nature/Storm.jpg", (0, 0, 1, 0.52)),
    "infinite_sea_sky": (os.path.join(BACKGROUNDS, "Infinite-Sea_by_Aury88.jpg"),
                         (0, 0, 1, 0.70)),  # night, Milky Way
    "sunset_sky": (os.path.join(BACKGROUNDS, "sunset_by_Aitzol_Berasategi.jpg"),
                   (0, 0, 1, 0.40)),
}
PLATES = os.path.join(ROOT, "tests", "data", "skies")
# A dusk scene for the examples (not a sky plate): name -> wallpaper file.
DUSK_SCENE = ("summer_1am", PLASMA % "summer_1am")
PACKAGES = ("lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 plasma-workspace-wallpapers "
            "mate-backgrounds")


def make_photos():
    os.makedirs(PHOTOS, exist_ok=True)
    for name, (src, _) in SOURCES.items():
        img = cv2.imread(os.path.join(BACKGROUNDS, src))
        if img is None:
            sys.exit("missing %s: apt-get install lomiri-wallpapers-16.04 lomiri-wallpapers-20.04"
                     % src)
        h = int(round(img.shape[0] * 640 / img.shape[1]))
        small = cv2.resize(img, (640, h), interpolation=cv2.INTER_AREA)
        cv2.imwrite(os.path.join(PHOTOS, name + ".jpg"), small, [cv2.IMWRITE_JPEG_QUALITY, 90])
        cv2.imwrite(os.path.join(PHOTOS, name + "_matte.png"), hand_matte(small, name))


def read_source(path):
    img = cv2.imread(path)
    if img is None:
        sys.exit("missing %s: apt-get install %s" % (path, PACKAGES))
    return img


def small_copy(img, width=640):
    h = int(round(img.shape[0] * width / img.shape[1]))
    return cv2.resize(img, (width, h), interpolation=cv2.INTER_AREA)


def make_sky_plates():
    """Sky-only crops of wallpapers, 640 px wide, and a dusk scene for the examples."""
    os.makedirs(PLATES, exist_ok=True)
    for name, (src, (x0, y0, x1, y1)) in SKY_PLATES.items():
        img = read_source(src)
        h, w = img.shape[:2]
        crop = img[int(y0 * h):int(y1 * h), int(x0 * w):int(x1 * w)]
        cv2.imwrite(os.path.join(PLATES, name + ".jpg"), small_copy(crop),
                    [cv2.IMWRITE_JPEG_QUALITY, 90])
    name, src = DUSK_SCENE
    cv2.imwrite(os.path.join(PHOTOS, name + ".jpg"), small_copy(read_source(src)),
                [cv2.IMWRITE_JPEG_QUALITY, 90])


def hand_matte(img, name):
    """Sky down to the strongest drop in brightness of each column above the
    hand-set bound (the ridge line against a bright sky); a straight horizon
    when the bound is level."""
    h, w = img.shape[:2]
    bound = SOURCES[name][1]
    lowest = np.interp(np.arange(w), [0, w / 2, w - 1], [b * h for b in bound])
    if bound[0] == bound[1] == bound[2]:
        horizon = lowest.astype(np.float32)
    else:
        luma = cv2.GaussianBlur(img, (0, 0), 1.0).astype(np.float32).mean(axis=2)
        drop = np.zeros_like(luma)
        drop[2:-2] = luma[:-4] - luma[4:]
        horizon = np.empty(w, np.float32)
        for x in range(w):
            y_max = max(int(lowest[x]), 3)
            col = drop[2:y_max, x]
            horizon[x] = 2 + int(np.argmax(col)) if col.size and col.max() > 25 else y_max
        horizon = np.array([np.median(horizon[max(0, x - 4):x + 5]) for x in range(w)],
                           np.float32)
    yy = np.arange(h, dtype=np.float32)[:, None]
    alpha = np.clip(horizon[None, :] - yy + 0.5, 0, 1)
    return (alpha * 255 + 0.5).astype(np.uint8)


def make_examples(tool, hand_mattes):
    # The dusk scene has no hand-made matte: it is shown with the model's only.
    scenes = SCENES if hand_mattes else SCENES + [DUSK_SCENE[0]]
    for scene in scenes:
        for sky in SKIES:
            out = os.path.join(EXAMPLES, "%s+%s.jpg" % (scene, sky))
            cmd = [tool, "--scene", os.path.join(PHOTOS, scene + ".jpg"),
                   "--sky", os.path.join(PHOTOS, sky + ".jpg"),
                   "-o", out, "--quality", "88", "-q"]
            if hand_mattes:
                cmd += ["--scene-alpha", os.path.join(PHOTOS, scene + "_matte.png"),
                        "--sky-alpha", os.path.join(PHOTOS, sky + "_matte.png")]
            subprocess.run(cmd, check=True)
            before = cv2.imread(os.path.join(PHOTOS, scene + ".jpg"))
            after = cv2.imread(out)
            strip = np.hstack([before, np.full((before.shape[0], 8, 3), 255, np.uint8), after])
            strip = cv2.resize(strip, (strip.shape[1] // 2, strip.shape[0] // 2),
                               interpolation=cv2.INTER_AREA)
            cv2.imwrite(os.path.join(EXAMPLES, "%s+%s_before_after.jpg" % (scene, sky)), strip,
                        [cv2.IMWRITE_JPEG_QUALITY, 85])
            os.remove(out)


GALLERY = os.path.join(EXAMPLES, "gallery")
# file name: (caption, options); each shown on GALLERY_SCENES with GALLERY_SKY
GALLERY_CONTROLS = [
    ("harmonize", "--harmonize=0.7", ["--harmonize=0.7"]),
    ("sky-scale", "--sky-scale 2", ["--sky-scale", "2"]),
    ("sky-offset", "--sky-offset -1,0 (left end)", ["--sky-offset", "-1,0"]),
    ("flip-sky", "--flip-sky", ["--flip-sky"]),
    ("edge-shift", "--edge-shift -8", ["--edge-shift", "-8"]),
    ("edge-fade", "--edge-fade 30", ["--edge-fade", "30"]),
    ("sky-brightness", "--sky-brightness -0.7", ["--sky-brightness", "-0.7"]),
    ("sky-temperature", "--sky-temperature 2000", ["--sky-temperature", "2000"]),
    ("sky-plate", "--sky-plate (sky: tests/data/skies/kite_clouds.jpg)", ["--sky-plate"]),
]
GALLERY_SCENES = ["aitzgorri", "sunset"]
GALLERY_SKY = os.path.join(PHOTOS, "infinite_sea.jpg")
# harmonised vs plain: (file name, scene, sky photo, its options, caption)
GALLERY_HARMONY = [
    ("harmonize-night", "aitzgorri", os.path.join(PLATES, "infinite_sea_sky.jpg"),
     ["--sky-plate"], "day scene, night sky"),
    ("harmonize-sunset", "picos", os.path.join(PLATES, "evening_glow_sunset.jpg"),
     ["--sky-plate"], "day scene, sunset sky"),
]


def labelled(img, text):
    out = img.copy()
    cv2.putText(out, text, (8, 22), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (0, 0, 0), 3, cv2.LINE_AA)
    cv2.putText(out, text, (8, 22), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (255, 255, 255), 1,
                cv2.LINE_AA)
    return out


def run_tool(tool, scene, sky, options, tmp):
    out = os.path.join(tmp, "out.png")
    subprocess.run([tool, "--scene", scene, "--sky", sky, "-o", out, "-q"] + options,
                   check=True)
    img = cv2.imread(out)
    os.remove(out)
    return img


def save_sheet(rows, name):
    gap = lambda h: np.full((h, 6, 3), 255, np.uint8)  # noqa: E731
    lines = []
    for row in rows:
        parts = []
        for img in row:
            parts += [img, gap(img.shape[0])]
        lines.append(np.hstack(parts[:-1]))
    width = max(line.shape[1] for line in lines)
    lines = [cv2.copyMakeBorder(line, 0, 6, 0, width - line.shape[1], cv2.BORDER_CONSTANT,
                                value=(255, 255, 255)) for line in lines]
    sheet = np.vstack(lines)
    sheet = cv2.resize(sheet, (sheet.shape[1] // 2, sheet.shape[0] // 2),
                       interpolation=cv2.INTER_AREA)
    cv2.imwrite(os.path.join(GALLERY, name + ".jpg"), sheet, [cv2.IMWRITE_JPEG_QUALITY, 84])


def make_gallery(tool):
    import tempfile
    os.makedirs(GALLERY, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        plain = {s: run_tool(tool, os.path.join(PHOTOS, s + ".jpg"), GALLERY_SKY, [], tmp)
                 for s in GALLERY_SCENES}
        for name, caption, options in GALLERY_CONTROLS:
            sky = (os.path.join(PLATES, "kite_clouds.jpg") if name == "sky-plate"
                   else GALLERY_SKY)
            rows = []
            for scene in GALLERY_SCENES:
                base = plain[scene] if name != "sky-plate" else run_tool(
                    tool, os.path.join(PHOTOS, scene + ".jpg"), sky, [], tmp)
                after = run_tool(tool, os.path.join(PHOTOS, scene + ".jpg"), sky, options, tmp)
                rows.append([labelled(base, "plain"), labelled(after, caption)])
            save_sheet(rows, name)
        for name, scene, sky, options, caption in GALLERY_HARMONY:
            picture = os.path.join(PHOTOS, scene + ".jpg")
            rows = [[labelled(cv2.imread(picture), "before (%s)" % caption),
                     labelled(run_tool(tool, picture, sky, options, tmp), "plain"),
                     labelled(run_tool(tool, picture, sky, options + ["--harmonize=0.8"], tmp),
                              "--harmonize=0.8")]]
            save_sheet(rows, name)


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "photos":
        make_photos()
    elif len(sys.argv) == 2 and sys.argv[1] == "skies":
        make_sky_plates()
    elif len(sys.argv) == 3 and sys.argv[1] == "gallery":
        make_gallery(sys.argv[2])
    elif len(sys.argv) in (3, 4) and sys.argv[1] == "examples":
        make_examples(sys.argv[2], sys.argv[3:] == ["--hand-mattes"])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
