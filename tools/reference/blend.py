"""Reference sky-replacement blend written from the specification (spec §4.4).

Uses OpenCV exactly as the original tool does (including the x10 feathering
detour, so keep the pictures small) and numpy. Images are 3-channel uint8 in
any channel order (every step is per channel); masks are float32 in [0, 255].

    blend(scene, scene_mask, sky, sky_mask, compat=True) -> dict of stages

compat=True reproduces the original's patch mapping (quirk Q1); compat=False
uses the rectangle that was found (rows y..y+h-1, cols x..x+w-1).
"""
import math

import cv2
import numpy as np

INNER_RECT_MAX_DIM = 256
DILATE_KERNEL_SIZE = 7
VALID_MASK_THRESHOLD = 100
MIN_VALID_SKY_AREA = 100
MASK_RESIZE_SCALE = 10.0
MIN_RESIZE_DIM = 10
BLUR_KERNEL_SIZE = 5
BLEND_LEVELS = 10


class NoSkyError(Exception):
    pass


class SceneNoSkyError(Exception):
    pass


def largest_valid_rect(valid):
    """Largest all-true rectangle (x, y, w, h), area; spec §4.4.1 step 3."""
    rows, cols = valid.shape
    heights = [0] * (cols + 1)
    best, rect = 0, (0, 0, 0, 0)
    for i in range(rows):
        for j in range(cols):
            heights[j] = heights[j] + 1 if valid[i, j] else 0
        stack = []
        for j in range(cols + 1):
            while stack and heights[stack[-1]] >= heights[j]:
                h = heights[stack.pop()]
                w = j if not stack else j - stack[-1] - 1
                if h * w > best:
                    best = h * w
                    rect = (j - w, i - h + 1, w, h)
            stack.append(j)
    return rect, best


def sky_rect(sky_mask):
    """Steps 1-3: the largest clear rectangle on the reduced mask, and the scale."""
    hk, wk = sky_mask.shape
    m = sky_mask
    scale = 1.0
    if hk > INNER_RECT_MAX_DIM or wk > INNER_RECT_MAX_DIM:
        scale = max(INNER_RECT_MAX_DIM / hk, INNER_RECT_MAX_DIM / wk)
        m = cv2.resize(m, (max(int(wk * scale), 1), max(int(hk * scale), 1)))
    k = max(3, int(scale * DILATE_KERNEL_SIZE + 0.5))
    m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    rect, best = largest_valid_rect(m > VALID_MASK_THRESHOLD)
    return rect, best, scale, m.shape


def sky_patch(sky, sky_mask, compat):
    rect, best, scale, (rh, rw) = sky_rect(sky_mask)
    if best < MIN_VALID_SKY_AREA:
        raise NoSkyError("largest clear sky area is %d px" % best)
    hk, wk = sky_mask.shape
    inv = 1.0 / scale
    x, y, w, h = rect
    if compat:
        x0, y0 = int(x * inv + 0.5), int(y * inv + 0.5)
        x1, y1 = min(int(w * inv + 0.5), wk), min(int(h * inv + 0.5), hk)
        patch = sky[y0:y1 + 1, x0:x1 + 1]
    else:
        x0, y0 = int(x * inv + 0.5), int(y * inv + 0.5)
        # a rectangle reaching the reduced mask's edge reaches the photo's edge
        x1 = wk if x + w == rw else min(int((x + w) * inv + 0.5), wk)
        y1 = hk if y + h == rh else min(int((y + h) * inv + 0.5), hk)
        patch = sky[y0:y1, x0:x1]
    if patch.shape[0] == 0 or patch.shape[1] == 0:
        raise NoSkyError("empty patch")
    return patch, rect


def place_patch(patch, rect):
    x, y, w, h = rect
    r, c = patch.shape[:2]
    s = max(h / r, w / c)
    size = (max(int(c * s + 0.5), 1), max(int(r * s + 0.5), 1))
    p = cv2.resize(patch, size)
    oy, ox = (p.shape[0] - h) // 2, (p.shape[1] - w) // 2
    return p[oy:oy + h, ox:ox + w]


def feather(scene_mask):
    hs, ws = scene_mask.shape
    big = cv2.resize(scene_mask, (max(int(ws * MASK_RESIZE_SCALE + 0.5), MIN_RESIZE_DIM),
                                  max(int(hs * MASK_RESIZE_SCALE + 0.5), MIN_RESIZE_DIM)))
    big = cv2.blur(big, (BLUR_KERNEL_SIZE, BLUR_KERNEL_SIZE))
    e = np.ones((BLUR_KERNEL_SIZE, BLUR_KERNEL_SIZE), np.uint8)
    sky_w = cv2.dilate(big, e)
    scn_w = 255 - cv2.erode(big, e)
    sky_w = cv2.resize(sky_w, (ws, hs))
    scn_w = cv2.resize(scn_w, (ws, hs))
    return sky_w, scn_w


def paste(scene, patch, sky_w, rect):
    x, y, w, h = rect
    a = (sky_w[y:y + h, x:x + w] / 255)[:, :, None].astype(np.float32)
    region = scene[y:y + h, x:x + w].astype(np.float32)
    v = (1 - a) * region + a * patch.astype(np.float32)
    pano = scene.copy()
    pano[y:y + h, x:x + w] = np.clip(v, 0, 255).astype(np.uint8)
    return pano


def multiband(scene, scn_w, pano, sky_w):
    hs, ws = scene.shape[:2]
    blender = cv2.detail_MultiBandBlender(1, BLEND_LEVELS)
    blender.prepare((0, 0, ws, hs))
    blender.feed(scene, scn_w.astype(np.uint8), (0, 0))
    blender.feed(pano, sky_w.astype(np.uint8), (0, 0))
    out, _ = blender.blend(None, None)
    return out


def blend(scene, scene_mask, sky, sky_mask, compat=True):
    cv2.ocl.setUseOpenCL(False)
    patch, sky_rectangle = sky_patch(sky, sky_mask, compat)
    nz = cv2.findNonZero((scene_mask > 1).astype(np.uint8))
    if nz is None:
        raise SceneNoSkyError("no sky pixel")
    rect = cv2.boundingRect(nz)
    if rect[2] * rect[3] < MIN_VALID_SKY_AREA:
        raise SceneNoSkyError("sky box too small")
    placed = place_patch(patch, rect)
    sky_w, scn_w = feather(scene_mask)
    pano = paste(scene, placed, sky_w, rect)
    out = multiband(scene, scn_w, pano, sky_w)
    return {"sky_rect": sky_rectangle, "scene_rect": rect, "patch": patch, "placed": placed,
            "sky_w": sky_w, "scn_w": scn_w, "pano": pano, "out_s16": out,
            "out_u8": np.clip(out, 0, 255).astype(np.uint8)}


def num_bands(ws, hs):
    return min(BLEND_LEVELS, int(math.ceil(math.log(max(ws, hs)) / math.log(2.0))))
