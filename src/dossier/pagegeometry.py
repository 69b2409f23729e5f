"""How a page lies in its picture: the skew of a scan's lines of writing, and the
perspective of a phone photo of a document (dossier.scanquality uses both).

- **Skew.** The dark pixels of the page (marks) are projected onto the vertical axis turned
  by each whole angle from −8° to 8°, then in steps of 0.25° around the best; lines of
  writing, once level, pile up into
  sharp rows, so the angle whose row profile is sharpest (the largest sum of squared row
  counts) is the skew. It is trusted only when that profile stands out (its sharpness at
  least SHARPER times that of the worst angle) and the page has enough marks.
- **Perspective.** The sheet of paper is the largest bright region of the photo (Otsu's
  threshold); its outline reduced to four corners is a quadrilateral. A photo taken
  square-on shows corners of about 90°; the largest departure of a corner from 90° is the
  photo's slant. A photo whose paper is not found (a site photo), or fills less than a
  quarter of it, has none."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PIL import Image

MAX_ANGLE = 8.0
STEP = 0.25
SHARPER = 1.5
MIN_MARKS = 300  # dark pixels a page needs for its skew to be judged
_POINTS = 20_000  # marks sampled at most


def skew_angle(gray: Image.Image, paper: int) -> float | None:
    """The skew in degrees (positive: the lines rise to the right), or None when the page
    shows no lines to judge by. `paper`: the tone of the paper (0–255)."""
    pixels = np.asarray(gray, dtype=np.uint8)
    ys, xs = np.nonzero(pixels < max(0, paper - 60))
    if len(xs) < MIN_MARKS:
        return None
    if len(xs) > _POINTS:
        pick = np.linspace(0, len(xs) - 1, _POINTS).astype(np.int64)
        xs, ys = xs[pick], ys[pick]
    xs = xs.astype(np.float64) - pixels.shape[1] / 2
    ys = ys.astype(np.float64)
    rows = pixels.shape[0] + pixels.shape[1]

    def sharpness(angle: float) -> float:
        t = math.tan(math.radians(angle))
        level = np.rint(ys + xs * t).astype(np.int64) + pixels.shape[1] // 2
        counts = np.bincount(np.clip(level, 0, rows - 1), minlength=rows)
        return float(np.dot(counts, counts))

    coarse = {float(a): sharpness(float(a)) for a in np.arange(-MAX_ANGLE, MAX_ANGLE + 0.5)}
    around = max(coarse, key=coarse.__getitem__)  # whole degrees first, then quarters
    fine = {a: sharpness(a) for a in np.arange(around - 0.75, around + 0.8, STEP)
            if abs(a) <= MAX_ANGLE}
    scores = {**coarse, **{float(a): s for a, s in fine.items()}}
    best = max(scores, key=scores.__getitem__)
    if scores[best] < SHARPER * min(coarse.values()):
        return None  # no angle stands out: a picture, not lines of writing
    return round(best, 2)


def slant(picture: Image.Image) -> float | None:
    """The largest departure from 90° of a corner of the photographed sheet, in degrees;
    None when no sheet is found."""
    import cv2

    gray: Any = np.asarray(picture.convert("L"), dtype=np.uint8)
    scale = 600 / max(gray.shape)
    if scale < 1:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(gray, (5, 5), 0)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    sheet = max(contours, key=cv2.contourArea)
    if cv2.contourArea(sheet) < 0.25 * gray.shape[0] * gray.shape[1]:
        return None
    hull = cv2.convexHull(sheet)
    corners = cv2.approxPolyDP(hull, 0.03 * cv2.arcLength(hull, True), True).reshape(-1, 2)
    if len(corners) != 4 or _touches_frame(corners, gray.shape):
        return None  # not a sheet's four corners, or the sheet runs off the photo
    return max(abs(90.0 - _corner(corners, k)) for k in range(4))


def _touches_frame(corners: Any, shape: tuple[int, ...]) -> bool:
    """All four corners on the photo's edge: the bright region is the frame, not a sheet."""
    height, width = shape[:2]
    edge = [x <= 2 or y <= 2 or x >= width - 3 or y >= height - 3 for x, y in corners]
    return all(edge)


def _corner(corners: Any, k: int) -> float:
    a, b, c = corners[k - 1], corners[k], corners[(k + 1) % 4]
    u, v = a - b, c - b
    cos = float(np.dot(u, v)) / (float(np.linalg.norm(u) * np.linalg.norm(v)) or 1.0)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))
