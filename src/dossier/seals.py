"""Red official seals (公章) on a page's picture (附件3 (五): 检查好印章).

A 公章 is a red ring, round (about 42 mm across, 38–45 mm in use) or oval (45 × 30 mm),
with a star and the unit's name in an arc inside. It is found in four steps:

1. **Red ink.** A pixel is seal ink when its hue is red (OpenCV hue 0–12 or 155–179), it
   is saturated enough (faded and photocopied seals are pink, not grey) and clearly redder
   than it is green or blue. The picture is first brought to about 75 dpi.
2. **Candidates.** The red mask is closed (gaps of about 1 mm where black text crosses the
   ring are bridged); every red blob whose size suits a seal gives an ellipse fitted to its
   outline (the points on the page's edge left out, so that a 骑缝章 cut by the edge keeps
   its own curve). Circles found by a Hough transform on the mask are candidates too, so
   that two overlapping seals, which form one blob, are found one by one.
3. **The ring test.** A candidate is a seal when red ink follows its outline on at least
   78 % of the directions in which the outline lies on the page, that outline lies on the
   page at least a third of the way round (a half seal at the edge qualifies), red is rare
   just outside the ring (a masthead's next letter, a table's next cell), and the inside is
   not a solid red disc (a logo). Red mastheads, rules and table lines fail this test: they
   do not close into a ring of a seal's size.
4. **One seal, one finding.** Candidates of one seal (the blob's ellipse and its Hough
   circle) are merged.

What is found is a seal's centre and size in millimetres on the page, and whether it is
partly off the page. A seal photocopied in black and white has no red and is not found.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from PIL import Image

WORK_DPI = 75.0  # the picture is looked at this size (a ring of 1 mm is 3 pixels)
MIN_RADIUS_MM = 12.0  # the smallest seal's half-width (a 部门章 of 24 mm has 12)
MAX_RADIUS_MM = 30.0  # the largest half-length (an oval of 60 mm)
MIN_ROUNDNESS = 0.5  # an oval's short axis over its long one (45 × 30 mm is 0.67)
RING_COVER = 0.78  # share of the outline's visible directions where red ink is found
MIN_VISIBLE = 0.34  # share of the outline on the page (a 骑缝章 shows about half)
MAX_OUTSIDE = 0.35  # share of directions with red ink just outside the ring
MAX_SOLID = 0.55  # share of the inside that is red: more is a disc, a logo
_DIRECTIONS = 120


@dataclass(frozen=True)
class Seal:
    x_mm: float  # the centre, from the page's left edge
    y_mm: float  # the centre, from the page's top edge
    width_mm: float
    height_mm: float
    partial: bool  # part of the ring lies off the page (a 骑缝章, or a cut scan)
    score: float  # how much of the ring's visible outline is red ink (0–1)


@dataclass(frozen=True)
class _Ellipse:
    cx: float
    cy: float
    a: float  # half-axis along `angle`
    b: float
    angle: float  # radians


def find_seals(picture: Image.Image, dpi: float) -> tuple[Seal, ...]:
    """The seals on one page's picture, shown at `dpi` pixels per inch."""
    rgb = _at_work_size(picture, dpi)
    scale = WORK_DPI if dpi > WORK_DPI else dpi  # pixels per inch of `rgb`
    mask = red_mask(rgb)
    if int(np.count_nonzero(mask)) < _min_ink(scale):
        return ()  # not enough red on the page for one ring
    px_per_mm = scale / 25.4
    lo, hi = MIN_RADIUS_MM * px_per_mm, MAX_RADIUS_MM * px_per_mm
    k = max(3, round(px_per_mm) | 1)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(
        cv2.MORPH_ELLIPSE, (k, k)))
    near = cv2.dilate(mask, np.ones((3, 3), np.uint8))  # ink within a pixel of a point
    candidates = [*_blob_ellipses(closed, lo, hi), *_hough_circles(closed, lo, hi)]
    found: list[tuple[_Ellipse, float, bool]] = []
    for ellipse in candidates:
        judged = _ring(ellipse, near, mask)
        if judged is not None:
            found.append((ellipse, *judged))
    return tuple(_to_seal(e, score, partial, px_per_mm) for e, score, partial in _merge(found))


def red_mask(rgb: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """255 where a pixel is seal-red ink, 0 elsewhere."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    red = rgb[..., 0].astype(np.int16)
    other = np.maximum(rgb[..., 1], rgb[..., 2]).astype(np.int16)
    ink = ((hue <= 12) | (hue >= 155)) & (sat >= 40) & (val >= 70) & (red - other >= 30)
    return np.where(ink, 255, 0).astype(np.uint8)


def _at_work_size(picture: Image.Image, dpi: float) -> np.ndarray[Any, Any]:
    img = picture.convert("RGB")
    if dpi > WORK_DPI * 1.05:
        factor = WORK_DPI / dpi
        size = (max(1, round(img.width * factor)), max(1, round(img.height * factor)))
        array = np.asarray(img)
        return cv2.resize(array, size, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(np.asarray(img))


def _min_ink(scale: float) -> int:
    """Red pixels a third of the smallest ring, 0.6 mm thick, would have."""
    px_per_mm = scale / 25.4
    return int(2 * math.pi * MIN_RADIUS_MM * px_per_mm * 0.6 * px_per_mm / 3)


def _blob_ellipses(closed: np.ndarray[Any, Any], lo: float, hi: float) -> list[_Ellipse]:
    height, width = closed.shape
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    found = []
    for contour in contours:
        _, _, w, h = cv2.boundingRect(contour)
        if max(w, h) < 2 * lo * 0.9 or max(w, h) > 4.6 * hi:
            continue
        points = contour.reshape(-1, 2)
        inner = points[(points[:, 0] > 1) & (points[:, 1] > 1) & (points[:, 0] < width - 2)
                       & (points[:, 1] < height - 2)]  # the page's edge is not the ring
        if len(inner) < 12:
            continue
        (cx, cy), (d1, d2), angle = cv2.fitEllipse(inner.astype(np.float32))
        a, b = d1 / 2, d2 / 2
        if not (math.isfinite(a) and math.isfinite(b)) or min(a, b) <= 0:
            continue
        if max(a, b) > hi * 1.1 or max(a, b) < lo or min(a, b) < lo * MIN_ROUNDNESS:
            continue
        found.append(_Ellipse(cx, cy, a, b, math.radians(angle)))
    return found


def _hough_circles(closed: np.ndarray[Any, Any], lo: float, hi: float) -> list[_Ellipse]:
    blurred = cv2.GaussianBlur(closed, (5, 5), 1.5)
    circles = cv2.HoughCircles(blurred, cv2.HOUGH_GRADIENT, dp=1.5, minDist=lo,
                               param1=100, param2=22, minRadius=round(lo),
                               maxRadius=round(hi * 0.8))
    if circles is None:
        return []
    return [_Ellipse(float(x), float(y), float(r), float(r), 0.0)
            for x, y, r in circles[0][:24]]


_STEPS = np.arange(0.80, 1.161, 0.02)  # radii (in the candidate's) the ring is looked for at
_THETA = np.linspace(0, 2 * np.pi, _DIRECTIONS, endpoint=False)


def _ring(e: _Ellipse, near: np.ndarray[Any, Any], mask: np.ndarray[Any, Any],
          ) -> tuple[float, bool] | None:
    """(score, partial) when red ink follows the ellipse as a seal's ring does; else None.
    The ring's radius is refined first: of the radii near the candidate's, the one along
    which ink is found in most directions (a ring is thin: ink within ±2 % of one radius)."""
    if min(e.a, e.b) < max(e.a, e.b) * MIN_ROUNDNESS:
        return None
    height, width = near.shape
    edge_x, edge_y = _points(e, np.array([1.0]))
    visible = ((edge_x >= 0) & (edge_x < width) & (edge_y >= 0) & (edge_y < height))[0]
    seen = int(visible.sum())
    if seen < _DIRECTIONS * MIN_VISIBLE:
        return None
    ink = _ink_at(e, _STEPS, near)[:, visible]  # radii × visible directions
    band = ink[:-2] | ink[1:-1] | ink[2:]  # ±1 step around each inner radius
    cover = band.mean(axis=1)
    best = int(np.argmax(cover))
    t = float(_STEPS[best + 1])
    outside = _ink_at(e, np.array([t * 1.2, t * 1.3]), near)[:, visible].any(axis=0).mean()
    score = float(cover[best])
    ring = _Ellipse(e.cx, e.cy, e.a * t, e.b * t, e.angle)
    if score < RING_COVER or outside > MAX_OUTSIDE or _solid(ring, mask) > MAX_SOLID:
        return None
    return score, seen < _DIRECTIONS


def _points(e: _Ellipse, steps: np.ndarray[Any, Any],
            ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Pixel columns and rows of the ellipse scaled by each of `steps`, in each direction."""
    x = e.a * steps[:, None] * np.cos(_THETA)[None, :]
    y = e.b * steps[:, None] * np.sin(_THETA)[None, :]
    c, s = math.cos(e.angle), math.sin(e.angle)
    return (np.rint(e.cx + x * c - y * s).astype(np.int64),
            np.rint(e.cy + x * s + y * c).astype(np.int64))


def _ink_at(e: _Ellipse, steps: np.ndarray[Any, Any], image: np.ndarray[Any, Any],
            ) -> np.ndarray[Any, Any]:
    height, width = image.shape
    xs, ys = _points(e, steps)
    inside = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    found = np.zeros(xs.shape, dtype=bool)
    found[inside] = image[ys[inside], xs[inside]] > 0
    return found


def _solid(e: _Ellipse, mask: np.ndarray[Any, Any]) -> float:
    """The share of the ellipse's inner half (by radius) that is red."""
    inside = np.zeros_like(mask)
    cv2.ellipse(inside, (round(e.cx), round(e.cy)),
                (max(1, round(e.a * 0.6)), max(1, round(e.b * 0.6))),
                math.degrees(e.angle), 0, 360, 255, -1)
    area = int(np.count_nonzero(inside))
    if not area:
        return 0.0
    return int(np.count_nonzero(mask & inside)) / area


def _merge(found: list[tuple[_Ellipse, float, bool]]) -> list[tuple[_Ellipse, float, bool]]:
    """One entry per seal: of candidates whose centres lie within half a radius of each
    other, the best-scoring; in reading order."""
    kept: list[tuple[_Ellipse, float, bool]] = []
    for item in sorted(found, key=lambda f: -f[1]):
        e = item[0]
        if all(math.hypot(e.cx - k[0].cx, e.cy - k[0].cy) > 0.5 * min(k[0].a, k[0].b)
               for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda f: (round(f[0].cy), round(f[0].cx)))


def _to_seal(e: _Ellipse, score: float, partial: bool, px_per_mm: float) -> Seal:
    c, s = abs(math.cos(e.angle)), abs(math.sin(e.angle))
    width = 2 * math.hypot(e.a * c, e.b * s)  # the ellipse's extent across the page
    height = 2 * math.hypot(e.a * s, e.b * c)
    return Seal(round(e.cx / px_per_mm, 1), round(e.cy / px_per_mm, 1),
                round(width / px_per_mm, 1), round(height / px_per_mm, 1), partial,
                round(score, 3))
