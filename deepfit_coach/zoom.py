"""A person small in the picture: the pose model is shown a crop around them.

MediaPipe's detector looks at the whole frame scaled down to 224 pixels: a person under about a
third of the frame's height (a camera across the room, a wide phone lens) is found in some
frames or none (QA pass 7, rendered clips at 480x360: 80-100 px tall, 0-53% of frames; 112 px,
94%; 142 px, 100%), although the picture shows them plainly; the same frames cropped around the
person, 100%. ``Zoom`` chooses the window the landmarker sees each frame:

* the whole frame while the person is tall enough, or lost after being seen tall (someone who
  walked out, or whom the model loses lying head-on: the pose recovery's case, not a zoom's);
* a window about ZOOM_FIT times the person's height around them once they stand under ZOOM_BELOW of
  the frame's height (out again above ZOOM_ABOVE), following them smoothly;
* while nobody has been found yet, or a small person was lost: every other frame one of five windows
  (the four quarters, overlapping, and the centre) in turn, the whole frame between them, until
  someone is found. It costs nothing more: one landmarker run a frame, as always.

The landmarks come back in the whole frame's coordinates (``to_frame``), so everything after the
pose model (the pose recovery, the check for other people, counting) never sees the window.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

ZOOM_BELOW = 0.35     # zoom in on a person shorter than this share of the frame's height ...
ZOOM_ABOVE = 0.5      # ... and out again once taller than this
ZOOM_FIT = 2.2        # the window's height per the person's height
ZOOM_MIN = 0.45       # never a window under this share of the frame's height (a first, partial reading of a
                      # far person, 0.03 of the frame, made a window the landmarker lost them in every other frame)
FOLLOW = 0.3          # how fast the window follows the person (per frame, exponential) - and shrinks; it grows at once
LOST_FRAMES = 8       # missed this many frames in a row: the window is given up (search again)
SEARCH_AFTER = 10     # nobody found this many frames in a row before the windows are tried (someone walking
                      # in is found in the whole frame at once)
SEARCH = ((0.0, 0.0), (0.4, 0.0), (0.0, 0.4), (0.4, 0.4), (0.2, 0.2))   # window corners (share of frame), 0.6 wide
SEARCH_SIZE = 0.6
SIZE_FRAMES = 15      # the person's size: the largest of this many recent frames with them
VISIBLE = 0.5         # landmarks seen at least this well make the person's box and size
# body segments (landmark pairs) and their share of a person's height: a segment seen at an angle only
# gets shorter, so the longest estimate is the person's size in the picture, whatever the pose (a push-up
# filmed head-on is a short box in the picture, but its shoulders are as wide as the person is near)
SEGMENTS = (((11, 12), 0.21), ((11, 23), 0.30), ((12, 24), 0.30), ((23, 25), 0.245), ((24, 26), 0.245),
            ((25, 27), 0.25), ((26, 28), 0.25), ((11, 13), 0.17), ((12, 14), 0.17), ((23, 24), 0.11))


def person_height(image_lm: np.ndarray, frame_w: int, frame_h: int) -> float | None:
    """The person's height in pixels, from the longest-looking body segment seen (None: too little seen)."""
    px = image_lm[:, :2] * np.array([frame_w, frame_h])
    seen = image_lm[:, 3] >= VISIBLE
    sizes = [float(np.linalg.norm(px[a] - px[b])) / share for (a, b), share in SEGMENTS if seen[a] and seen[b]]
    return max(sizes) if sizes else None


@dataclass(frozen=True)
class Window:
    """A crop of the frame in pixels (x0, y0, width, height)."""

    x0: int
    y0: int
    w: int
    h: int

    def crop(self, image: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(image[self.y0:self.y0 + self.h, self.x0:self.x0 + self.w])

    def to_frame(self, image_lm: np.ndarray, frame_w: int, frame_h: int) -> np.ndarray:
        """(33, 5) landmarks normalised to this window -> normalised to the whole frame (z, MediaPipe's
        depth, is in the x's scale: scaled with it)."""
        out = np.array(image_lm, dtype=np.float32, copy=True)
        out[:, 0] = (out[:, 0] * self.w + self.x0) / frame_w
        out[:, 1] = (out[:, 1] * self.h + self.y0) / frame_h
        out[:, 2] = out[:, 2] * self.w / frame_w
        return out


def _clamped(cx: float, cy: float, h: float, frame_w: int, frame_h: int) -> Window:
    """A window of the frame's aspect, ``h`` pixels tall, centred on (cx, cy) as far as the frame allows."""
    h = float(np.clip(h, ZOOM_MIN * frame_h, frame_h))
    w = min(frame_w, h * frame_w / frame_h)
    x0 = float(np.clip(cx - w / 2, 0, frame_w - w))
    y0 = float(np.clip(cy - h / 2, 0, frame_h - h))
    return Window(int(round(x0)), int(round(y0)), int(round(w)), int(round(h)))


class Zoom:
    """Which part of each frame the landmarker sees (see the module's docstring)."""

    def __init__(self) -> None:
        self.window: Window | None = None     # the window followed, None: the whole frame
        self._centre: tuple[float, float, float] | None = None   # smoothed (cx, cy, height) in pixels
        self._seen_small: bool | None = None   # the last person seen: small (True), tall (False), nobody yet (None)
        self._missed = 0
        self._search = 0
        self._sizes: deque[float] = deque(maxlen=SIZE_FRAMES)   # the person's height per the frame's, recent frames

    def view(self, frame_w: int, frame_h: int) -> Window | None:
        """The window for this frame (None: the whole frame)."""
        if self.window is not None:
            return self.window
        searching = self._seen_small is not False and self._missed >= SEARCH_AFTER
        if not searching or self._missed % 2 == 1:
            return None
        x, y = SEARCH[self._search % len(SEARCH)]
        self._search += 1
        w, h = int(round(SEARCH_SIZE * frame_w)), int(round(SEARCH_SIZE * frame_h))
        return Window(int(round(x * frame_w)), int(round(y * frame_h)), w, h)

    def found(self, image_lm: np.ndarray, frame_w: int, frame_h: int) -> None:
        """The person's landmarks (normalised to the whole frame) in this frame."""
        self._missed = 0
        seen = image_lm[:, 3] >= VISIBLE
        if seen.sum() < 4:
            return
        px = image_lm[seen, :2] * np.array([frame_w, frame_h])
        (x0, y0), (x1, y1) = px.min(axis=0), px.max(axis=0)
        height = person_height(image_lm, frame_w, frame_h)
        if height is None:
            return
        # the largest of the last frames: the pose model's collapsed reading (a push-up head-on, six frames in a
        # row at a tenth of its size) is no zoom, while a person's true size changes slowly
        self._sizes.append(height / frame_h)
        share = max(self._sizes)
        small = share < (ZOOM_ABOVE if self.window is not None else ZOOM_BELOW)
        self._seen_small = small
        if not small:
            self.window, self._centre = None, None
            return
        target = ((x0 + x1) / 2, (y0 + y1) / 2, ZOOM_FIT * share * frame_h)
        if self._centre is None:
            c = target
        else:
            cx, cy, ch = (a + FOLLOW * (b - a) for a, b in zip(self._centre, target))
            c = (cx, cy, max(ch, target[2]))   # grows at once (the person is bigger than seen), shrinks slowly
        self._centre = c
        self.window = _clamped(c[0], c[1], c[2], frame_w, frame_h)

    def missed(self) -> None:
        """Nobody found in this frame."""
        self._missed += 1
        if self.window is not None and self._missed >= LOST_FRAMES:
            self.window, self._centre = None, None
