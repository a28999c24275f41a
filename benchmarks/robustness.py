"""Real-video robustness (issue 5): rendered clips re-shaped the way people's phone and
YouTube files differ from the synth's own format, through ``analyze`` in given and auto mode.

Each variant renders a synth clip from a fixed seed (30000+, outside every tuning and held-out
range), changes it as a real file would (frame rate, variable frame timing, portrait, a
rotation tag, a start mid-set, framing, a long multi-set clip, audio, other codecs, a black
first frame, the person leaving mid-set) and writes it with PyAV, as a phone would. The pose
model runs once per clip (``CACHE/NAME.poses.jsonl`` is reused), then the clip is analysed
with its exercise given and in auto mode. Truth: the rendered reps wholly inside what the
file shows (a rep cut by the clip's start or end, or by the person's absence, is no rep).

    python benchmarks/robustness.py --cache /tmp/robust [--only NAME,...] [--write]

``--write`` replaces this script's section of BENCHMARKS.md only.
"""

from __future__ import annotations

import argparse
import json
import resource
import struct
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from deepfit_coach.training.report import write_section  # noqa: E402

HEADING = "## Real-video robustness (rendered variants)"
NEXT = "## Rendered ground truth (synth)"
TIME_BASE = Fraction(1, 90000)


@dataclass
class Variant:
    """A rendered clip and how its file differs from the synth's own (see ``make_file``)."""

    name: str
    what: str
    spec: dict                       # ClipSpec fields, or {"sets": [(exercise, reps), ...], ...} for a workout
    given: str | None = None         # exercise for given mode (None: auto only)
    keep_every: list[int] | None = None   # frame-time pattern: steps (in rendered frames) between kept frames
    slow_span: tuple[float, float, int] | None = None  # (from_s, to_s, step): a stretch filmed at a lower rate
    rotate: int = 0                  # display rotation tag (degrees clockwise); the stream holds the turned image
    trim: str = ""                   # "mid": from the first rep's turning point to the last rep's
    black_first: int = 0             # frames of black at the start (replacing the clip's first frames)
    away: tuple[float, float] | None = None  # seconds of the set (from its first rep's start) the person is gone
    codec: str = "libx264"
    ext: str = ".mp4"
    audio: bool = False
    shake: float = 0.0               # a hand-held camera: sway and tremor, ~this share of the frame (see ``handheld``)
    zoom: tuple[float, float] | None = None   # digital zoom from, to over the clip (1 = as rendered)
    gain: float = 1.0                # exposure: < 1 darker (before ``grain``)
    grain: float = 0.0               # sensor noise std added after ``gain`` (a low-light phone)
    size: tuple[int, int] | None = None       # written at this width x height (a low-resolution upload)
    crf: int = 20                    # x264 quality (higher: more compression)


VARIANTS: list[Variant] = [
    Variant("base_squats", "control: synth format, 30 fps 640x480",
            dict(exercise="squats", reps=7, view="front", seed=30001, rest_before=2.0, rest_after=1.5), "squats"),
    Variant("fps60_jacks", "60 fps", dict(exercise="jumping_jacks", reps=10, view="front", seed=30002, fps=60,
                                          rest_before=1.5, rest_after=1.0), "jumping_jacks"),
    Variant("fps24_squats", "24 fps", dict(exercise="squats", reps=7, view="side", seed=30003, fps=24,
                                           rest_before=1.5, rest_after=1.0), "squats"),
    Variant("fps25_curls", "25 fps", dict(exercise="bicep_curls", reps=8, view="front", seed=30004, fps=25,
                                          rest_before=1.5, rest_after=1.0), "bicep_curls"),
    Variant("fps15_jacks", "15 fps (a webcam in low light)", dict(exercise="jumping_jacks", reps=10, view="front",
                                                                    seed=30032, fps=15, rest_before=1.5,
                                                                    rest_after=1.0), "jumping_jacks"),
    Variant("hd_squats", "landscape 1920x1080", dict(exercise="squats", reps=7, view="45", seed=30033, width=1920,
                                                     height=1080, rest_before=1.5, rest_after=1.0), "squats"),
    Variant("vfr_squats", "variable frame rate: 60 fps render, kept frames 17-50 ms apart, 4 s at 15 fps",
            dict(exercise="squats", reps=7, view="front", seed=30005, fps=60, rest_before=1.5, rest_after=1.0),
            "squats", keep_every=[2, 1, 3, 2, 2, 1, 3], slow_span=(4.0, 8.0, 4)),
    Variant("vfr_jacks", "variable frame rate: 60 fps render, kept frames 17-50 ms apart, 4 s at 15 fps",
            dict(exercise="jumping_jacks", reps=10, view="front", seed=30006, fps=60, rest_before=1.5,
                 rest_after=1.0), "jumping_jacks", keep_every=[2, 1, 3, 2, 2, 1, 3], slow_span=(3.0, 7.0, 4)),
    Variant("portrait_squats", "portrait 720x1280",
            dict(exercise="squats", reps=7, view="front", seed=30007, width=720, height=1280, rest_before=1.5,
                 rest_after=1.0), "squats"),
    Variant("portrait_curls", "portrait 1080x1920",
            dict(exercise="bicep_curls", reps=8, view="45", seed=30008, width=1080, height=1920, rest_before=1.5,
                 rest_after=1.0), "bicep_curls"),
    Variant("landscape_curls", "control for portrait_curls: same seed, 640x480",
            dict(exercise="bicep_curls", reps=8, view="45", seed=30008, rest_before=1.5, rest_after=1.0),
            "bicep_curls"),
    Variant("rot90_squats", "portrait phone file: 1280x720 stream + 90 deg rotation tag",
            dict(exercise="squats", reps=7, view="side", seed=30009, width=720, height=1280, rest_before=1.5,
                 rest_after=1.0), "squats", rotate=90),
    Variant("rot270_press", "portrait phone file: 1280x720 stream + 270 deg rotation tag",
            dict(exercise="dumbbell_shoulder_press", reps=8, view="front", seed=30010, width=720, height=1280,
                 rest_before=1.5, rest_after=1.0), "dumbbell_shoulder_press", rotate=270),
    Variant("mid_squats", "starts and ends mid-rep (no setup)",
            dict(exercise="squats", reps=8, view="front", seed=30011, rest_before=0.0, rest_after=0.0), "squats",
            trim="mid"),
    Variant("mid_curls", "starts and ends mid-rep (no setup)",
            dict(exercise="bicep_curls", reps=9, view="front", seed=30012, rest_before=0.0, rest_after=0.0),
            "bicep_curls", trim="mid"),
    Variant("mid_jacks", "starts and ends mid-rep (no setup)",
            dict(exercise="jumping_jacks", reps=12, view="front", seed=30013, rest_before=0.0, rest_after=0.0),
            "jumping_jacks", trim="mid"),
    Variant("mid_pushups", "starts and ends mid-rep (no setup)",
            dict(exercise="pushups", reps=8, view="side", seed=30014, rest_before=0.0, rest_after=0.0), "pushups",
            trim="mid"),
    Variant("nohead_curls", "chest to thighs: head and feet out of frame (fill 1.6)",
            dict(exercise="bicep_curls", reps=8, view="front", seed=30015, fill=1.6, offset=(0.0, 0.25),
                 rest_before=1.5, rest_after=1.0), "bicep_curls"),
    Variant("nohead_press", "chest to thighs (fill 1.6)",
            dict(exercise="dumbbell_shoulder_press", reps=8, view="front", seed=30016, fill=1.6, offset=(0.0, 0.25),
                 rest_before=1.5, rest_after=1.0), "dumbbell_shoulder_press"),
    Variant("nohead_raises", "chest to thighs (fill 1.6)",
            dict(exercise="lateral_shoulder_raises", reps=8, view="front", seed=30017, fill=1.6,
                 offset=(0.0, 0.25), rest_before=1.5, rest_after=1.0), "lateral_shoulder_raises"),
    Variant("nohead_triceps", "chest to thighs (fill 1.6)",
            dict(exercise="tricep_extensions", reps=8, view="45", seed=30018, fill=1.6, offset=(0.0, 0.25),
                 rest_before=1.5, rest_after=1.0), "tricep_extensions"),
    Variant("upper_curls", "upper body: head to hips, legs out of frame (fill 1.7)",
            dict(exercise="bicep_curls", reps=8, view="front", seed=30028, fill=1.7, offset=(0.0, 0.5),
                 rest_before=1.5, rest_after=1.0), "bicep_curls"),
    Variant("upper_press", "upper body: head to hips (fill 1.7)",
            dict(exercise="dumbbell_shoulder_press", reps=8, view="front", seed=30029, fill=1.7, offset=(0.0, 0.5),
                 rest_before=1.5, rest_after=1.0), "dumbbell_shoulder_press"),
    Variant("upper_raises", "upper body: head to hips (fill 1.7)",
            dict(exercise="lateral_shoulder_raises", reps=8, view="front", seed=30030, fill=1.7,
                 offset=(0.0, 0.5), rest_before=1.5, rest_after=1.0), "lateral_shoulder_raises"),
    Variant("upper_triceps", "upper body: head to hips (fill 1.7)",
            dict(exercise="tricep_extensions", reps=8, view="45", seed=30031, fill=1.7, offset=(0.0, 0.5),
                 rest_before=1.5, rest_after=1.0), "tricep_extensions"),
    Variant("small_squats", "small far-away person (fill 0.3)",
            dict(exercise="squats", reps=7, view="front", seed=30019, fill=0.3, rest_before=1.5, rest_after=1.0),
            "squats"),
    Variant("small_curls", "small far-away person (fill 0.3)",
            dict(exercise="bicep_curls", reps=8, view="front", seed=30020, fill=0.3, rest_before=1.5,
                 rest_after=1.0), "bicep_curls"),
    Variant("offcentre_lunges", "off-centre person (offset 0.3 of the frame)",
            dict(exercise="lunges", reps=8, view="front", seed=30021, offset=(0.3, 0.0), rest_before=1.5,
                 rest_after=1.0), "lunges"),
    Variant("audio_squats", "AAC audio track", dict(exercise="squats", reps=7, view="45", seed=30022,
                                                    rest_before=1.5, rest_after=1.0), "squats", audio=True),
    Variant("vp9_curls", "VP9 .webm", dict(exercise="bicep_curls", reps=8, view="side", seed=30023,
                                           rest_before=1.5, rest_after=1.0), "bicep_curls",
            codec="libvpx-vp9", ext=".webm"),
    Variant("h264_curls", "control for vp9_curls: same seed, H.264 .mp4",
            dict(exercise="bicep_curls", reps=8, view="side", seed=30023, rest_before=1.5, rest_after=1.0),
            "bicep_curls"),
    Variant("hevc_jacks", "HEVC (x265) .mp4", dict(exercise="jumping_jacks", reps=10, view="front", seed=30024,
                                                   rest_before=1.5, rest_after=1.0), "jumping_jacks",
            codec="libx265"),
    Variant("black_squats", "first 0.5 s black", dict(exercise="squats", reps=7, view="front", seed=30025,
                                                      rest_before=2.0, rest_after=1.0), "squats", black_first=15),
    Variant("away_squats", "person leaves for 2.5 s mid-set (empty room)",
            dict(exercise="squats", reps=10, view="front", seed=30026, rest_before=1.5, rest_after=1.0), "squats",
            away=(7.0, 9.5)),
    # the camera is no tripod, the room no studio (stop 34)
    Variant("handheld_squats", "hand-held phone: sway and tremor (2% of the frame, roll up to 1.4 deg)",
            dict(exercise="squats", reps=8, view="front", seed=30040, rest_before=1.5, rest_after=1.0), "squats",
            shake=0.02),
    Variant("handheld_pushups", "hand-held phone (2%)",
            dict(exercise="pushups", reps=8, view="side", seed=30041, rest_before=1.5, rest_after=1.0), "pushups",
            shake=0.02),
    Variant("handheld_jacks", "hand-held phone (2%)",
            dict(exercise="jumping_jacks", reps=10, view="front", seed=30042, rest_before=1.5, rest_after=1.0),
            "jumping_jacks", shake=0.02),
    Variant("handheld_curls", "hand-held phone (2%)",
            dict(exercise="bicep_curls", reps=8, view="45", seed=30043, rest_before=1.5, rest_after=1.0),
            "bicep_curls", shake=0.02),
    Variant("handheld_lunges", "hand-held phone, walking about (5%, roll up to 3.5 deg)",
            dict(exercise="lunges", reps=8, view="side", seed=30044, rest_before=1.5, rest_after=1.0), "lunges",
            shake=0.05),
    Variant("handheld_rows", "hand-held phone, walking about (5%)",
            dict(exercise="dumbbell_rows", reps=8, view="side", seed=30045, rest_before=1.5, rest_after=1.0),
            "dumbbell_rows", shake=0.05),
    Variant("zoomin_press", "zooming in mid-set (1.0 -> 1.4)",
            dict(exercise="dumbbell_shoulder_press", reps=8, view="front", seed=30046, rest_before=1.5,
                 rest_after=1.0), "dumbbell_shoulder_press", zoom=(1.0, 1.4)),
    Variant("zoomout_raises", "zooming out mid-set (1.3 -> 0.8)",
            dict(exercise="lateral_shoulder_raises", reps=8, view="front", seed=30047, rest_before=1.5,
                 rest_after=1.0), "lateral_shoulder_raises", zoom=(1.3, 0.8)),
    Variant("dim_curls", "dim room: exposure 0.35, sensor noise 6",
            dict(exercise="bicep_curls", reps=8, view="front", seed=30048, rest_before=1.5, rest_after=1.0),
            "bicep_curls", gain=0.35, grain=6.0),
    Variant("dim_situps", "dim room: exposure 0.35, sensor noise 6",
            dict(exercise="situps", reps=8, view="side", seed=30049, rest_before=1.5, rest_after=1.0), "situps",
            gain=0.35, grain=6.0),
    Variant("grainy_triceps", "low light brightened: sensor noise 18, blur 3",
            dict(exercise="tricep_extensions", reps=8, view="front", seed=30050, rest_before=1.5, rest_after=1.0,
                 blur=3), "tricep_extensions", grain=18.0),
    Variant("blur_jacks", "motion blur: a 1/60 s shutter at 30 fps (limbs smear)",
            dict(exercise="jumping_jacks", reps=10, view="front", seed=30051, rest_before=1.5, rest_after=1.0,
                 motion_blur=5), "jumping_jacks"),
    Variant("blur_pushups", "motion blur (1/60 s shutter)",
            dict(exercise="pushups", reps=8, view="side", seed=30052, rest_before=1.5, rest_after=1.0,
                 motion_blur=5), "pushups"),
    Variant("lowres_squats", "240p upload: 426x240, heavy compression (crf 32)",
            dict(exercise="squats", reps=8, view="side", seed=30053, width=854, height=480, rest_before=1.5,
                 rest_after=1.0), "squats", size=(426, 240), crf=32),
    Variant("lowres_raises", "240p upload, heavy compression, small person (fill 0.5)",
            dict(exercise="lateral_shoulder_raises", reps=8, view="45", seed=30054, fill=0.5, width=854,
                 height=480, rest_before=1.5, rest_after=1.0), "lateral_shoulder_raises", size=(426, 240), crf=32),
    Variant("phone_mix_lunges", "all at once: hand-held (2%), noise 10, 640x360, crf 28",
            dict(exercise="lunges", reps=8, view="45", seed=30055, width=640, height=360, rest_before=1.5,
                 rest_after=1.0), "lunges", shake=0.02, grain=10.0, crf=28),
    Variant("long_workout", "~2.5 min: 5 sets with 15 s rests, auto",
            dict(sets=[("squats", 10), ("bicep_curls", 10), ("jumping_jacks", 15), ("pushups", 8), ("lunges", 8)],
                 view="45", seed=30027, rest_s=15.0, rest_before=2.0, rest_after=2.0), None),
]


# ---------------------------------------------------------------- rendering and writing

def spec_of(v: Variant):
    from deepfit_coach.synth import ClipSpec, SetSpec, WorkoutSpec

    kw = dict(v.spec)
    if "sets" in kw:
        sets = [SetSpec(ex, n) for ex, n in kw.pop("sets")]
        return WorkoutSpec(sets=sets, **kw)
    return ClipSpec(**kw)


def kept_frames(v: Variant, n: int, fps: float) -> list[int]:
    """Rendered frames the file holds (all, or a variable-rate subset)."""
    if not v.keep_every:
        return list(range(n))
    out, i, k = [], 0, 0
    while i < n:
        out.append(i)
        step = v.keep_every[k % len(v.keep_every)]
        if v.slow_span and v.slow_span[0] <= i / fps < v.slow_span[1]:
            step = v.slow_span[2]
        i, k = i + step, k + 1
    return out


def set_rotation(path: Path, degrees: int) -> None:
    """Write a display rotation into the mp4's track header matrix, as phones do (the
    stream keeps the sensor's landscape image; players turn it by ``degrees`` clockwise)."""
    data = bytearray(path.read_bytes())

    def boxes(start: int, end: int, names: list[bytes]) -> Iterator[tuple[int, int]]:
        i = start
        while i + 8 <= end:
            size, typ = struct.unpack(">I4s", data[i:i + 8])
            hdr = 8
            if size == 1:
                size, hdr = struct.unpack(">Q", data[i + 8:i + 16])[0], 16
            elif size == 0:
                size = end - i
            if typ == names[0]:
                if len(names) == 1:
                    yield i, hdr
                else:
                    yield from boxes(i + hdr, i + size, names[1:])
            i += size

    one = 0x10000
    for off, hdr in boxes(0, len(data), [b"moov", b"trak", b"tkhd"]):
        p = off + hdr
        m = p + 4 + (32 if data[p] == 1 else 20) + 16   # version/flags, times+ids, reserved, layer.. volume
        w, h = (x / one for x in struct.unpack(">II", data[m + 36:m + 44]))
        if w == 0:
            continue   # an audio track
        mat = {90: (0, one, 0, -one, 0, 0, int(h * one), 0, 1 << 30),
               180: (-one, 0, 0, 0, -one, 0, int(w * one), int(h * one), 1 << 30),
               270: (0, -one, 0, one, 0, 0, 0, int(w * one), 1 << 30)}[degrees]
        data[m:m + 36] = struct.pack(">9i", *mat)
    path.write_bytes(bytes(data))


def handheld(n: int, fps: float, amount: float, seed: int) -> np.ndarray:
    """Per-frame camera motion of a phone held in the hand: (dx, dy, roll_deg, scale) rows.

    Slow sway (0.1-0.6 Hz, the arms and breathing) of ``amount`` of the frame width, a
    tremor (3-7 Hz) a quarter of that, and roll (``amount`` * 60 deg) and scale (``amount``) the same
    way: each peaks near 1.16 times its size (three sines summing to 1.85 / 1.6)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / fps
    out = np.zeros((n, 4))
    for col, size in enumerate((amount, amount, amount * 60.0, amount)):
        for lo, hi, share in ((0.1, 0.6, 1.0), (0.1, 0.6, 0.6), (3.0, 7.0, 0.25)):
            f, ph = rng.uniform(lo, hi), rng.uniform(0, 2 * np.pi)
            out[:, col] += size * share * np.sin(2 * np.pi * f * t + ph) / 1.6
    out[:, 3] += 1.0
    return out


def reframe(img: np.ndarray, dx: float, dy: float, roll: float, scale: float) -> np.ndarray:
    """The picture a camera moved by (dx, dy) frame widths, rolled and zoomed would take
    (a small turn of the camera is this affine map of its picture; edges filled by reflection)."""
    import cv2

    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), roll, scale)
    m[:, 2] += (dx * w, dy * w)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101)


def make_file(v: Variant, out: Path) -> dict:
    """Render the variant into ``out``; returns its truth summary (what the file shows)."""
    import av
    import cv2

    from deepfit_coach.synth.clip import FrameDrawer, plan
    from deepfit_coach.synth.scene import degrade

    p = plan(spec_of(v))
    truth, fps = p.truth, p.truth.fps
    n = truth.frame_count
    keep = kept_frames(v, n, fps)
    first_rep = truth.reps[0]
    if v.trim == "mid":
        keep = [i for i in keep if truth.reps[0].bottom_frame <= i <= truth.reps[-1].bottom_frame]
    away = set()
    if v.away:
        t0 = first_rep.start_frame / fps
        away = {i for i in keep if v.away[0] <= i / fps - t0 < v.away[1]}
    black = set(keep[:v.black_first])
    shown = [i for i in keep if i not in away and i not in black]
    lo, hi = min(shown), max(shown)
    gone = sorted(away | black)

    def visible(r) -> bool:
        return lo <= r.start_frame and r.end_frame <= hi and not any(r.start_frame <= g <= r.end_frame for g in gone)

    set_of = [next((s["exercise"] for s in truth.sets if s["start_frame"] <= r.start_frame <= s["end_frame"]), "?")
              for r in truth.reps]
    counts: dict[str, int] = {}
    for r, ex in zip(truth.reps, set_of):
        if visible(r):
            counts[ex] = counts.get(ex, 0) + 1
    durs = [(r.end_frame - r.start_frame) / fps for r in truth.reps if visible(r)]

    drawer = FrameDrawer(p)
    container = av.open(str(out), "w")
    stream = container.add_stream(v.codec, rate=round(fps))
    stream.time_base = stream.codec_context.time_base = TIME_BASE
    h, w = truth.height, truth.width
    if v.size:
        w, h = v.size
    if v.rotate in (90, 270):
        w, h = h, w
    stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
    if v.codec == "libx264":
        stream.options = {"crf": str(v.crf), "preset": "veryfast"}
    elif v.codec == "libx265":
        stream.options = {"crf": "24", "preset": "ultrafast", "x265-params": "log-level=error"}
    elif v.codec == "libvpx-vp9":
        stream.options = {"crf": "32", "b": "0", "deadline": "realtime", "cpu-used": "8"}
    astream = None
    if v.audio:
        astream = container.add_stream("aac", rate=44100)
        astream.layout = "mono"
    t_first = keep[0] / fps
    empty = None
    moves = handheld(n, fps, v.shake, spec_of(v).seed) if v.shake else None
    grain = np.random.default_rng(spec_of(v).seed + 11)
    for i in keep:
        if i in black:
            img = np.zeros((truth.height, truth.width, 3), np.uint8)
        elif i in away:
            if empty is None:
                empty = degrade(drawer.bg.copy(), p.look, np.random.default_rng(0))
            img = empty
        else:
            img = drawer.draw(i)
        if moves is not None or v.zoom:
            dx, dy, roll, scale = moves[i] if moves is not None else (0.0, 0.0, 0.0, 1.0)
            if v.zoom:
                scale *= v.zoom[0] + (v.zoom[1] - v.zoom[0]) * i / max(1, n - 1)
            img = reframe(img, dx, dy, roll, scale)
        if v.gain != 1.0 or v.grain:
            f = img.astype(np.float32) * v.gain
            if v.grain:
                f += grain.normal(0, v.grain, img.shape[:2] + (1,)).astype(np.float32)
            img = np.clip(f + 0.5, 0, 255).astype(np.uint8)
        if v.size:
            img = cv2.resize(img, v.size, interpolation=cv2.INTER_AREA)
        if v.rotate == 90:     # the stream holds the image turned back; the player turns it 90 deg clockwise
            img = cv2.rotate(img, cv2.ROTATE_90_COUNTERCLOCKWISE)
        elif v.rotate == 270:
            img = cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE)
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(img), format="bgr24")
        frame.pts, frame.time_base = int(round((i / fps - t_first) / TIME_BASE)), TIME_BASE
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    if astream is not None:   # a quiet hum with claps, as long as the video
        sr, dur = 44100, (keep[-1] - keep[0]) / fps
        t = np.arange(int(sr * dur)) / sr
        wave = (0.05 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
        for k in range(0, len(wave), 1024):
            af = av.AudioFrame.from_ndarray(wave[None, k:k + 1024], format="fltp", layout="mono")
            af.sample_rate, af.pts = sr, k
            for packet in astream.encode(af):
                container.mux(packet)
        for packet in astream.encode():
            container.mux(packet)
    container.close()
    if v.rotate:
        set_rotation(out, v.rotate)
    summary = {"counts": counts, "frames": len(keep), "rendered_fps": fps, "width": truth.width,
               "height": truth.height, "rep_s": float(np.median(durs)) if durs else None,
               "span_s": (keep[-1] - keep[0]) / fps}
    out.with_suffix(".truth.json").write_text(json.dumps(summary), encoding="utf-8")
    return summary


# ---------------------------------------------------------------- analysis

def run_variant(v: Variant, cache: Path) -> dict:
    from deepfit_coach.analysis import analyze_poses, load_poses
    from deepfit_coach.exercises import load_catalogue
    from deepfit_coach.sources import open_source

    video = cache / f"{v.name}{v.ext}"
    tfile = video.with_suffix(".truth.json")
    if not (video.exists() and tfile.exists()):
        t0 = time.perf_counter()
        make_file(v, video)
        print(f"rendered {video.name} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    truth = json.loads(tfile.read_text(encoding="utf-8"))
    with open_source(str(video)) as src:
        read = {"fps": src.fps, "size": f"{src.width}x{src.height}"}
    cat = load_catalogue()
    poses = load_poses(str(video), cache=cache / f"{v.name}.poses.jsonl")
    out = {"name": v.name, "what": v.what, "truth": truth, "read": read,
           "detected": poses.detected_ratio, "frames": len(poses.skeletons),
           "duration_s": poses.times[-1] - poses.times[0] if poses.times else 0.0}
    if v.given:
        res = analyze_poses(poses, v.given, cat)
        reps = [r for s in res.segments for r in s.reps]
        out["given"] = len(reps)
        out["given_partial"] = sum(len(s.partial) for s in res.segments)
        out["rep_s"] = float(np.median([r.end_s - r.start_s for r in reps])) if reps else None
    res = analyze_poses(poses, None, cat)
    out["auto"] = [(s.exercise, len(s.reps), round(s.start_s, 1), round(s.end_s, 1)) for s in res.segments]
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def auto_text(r: dict) -> str:
    if not r["auto"]:
        return "nothing"
    return ", ".join(f"{ex} {n}" for ex, n, *_ in r["auto"])


def truth_text(r: dict) -> str:
    c = r["truth"]["counts"]
    return ", ".join(f"{ex} {n}" for ex, n in c.items()) if len(c) > 1 else str(sum(c.values()))


def table(results: list[dict]) -> list[str]:
    lines = ["| variant | what | read as | person found | truth | given | auto | rep s truth/given |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        rep = (f"{r['truth']['rep_s']:.2f}/{r['rep_s']:.2f}" if r.get("rep_s") and r["truth"].get("rep_s")
               else "-")
        given = "-" if "given" not in r else f"{r['given']}" + (f" (+{r['given_partial']} partial)"
                                                               if r["given_partial"] else "")
        lines.append(f"| {r['name']} | {r['what']} | {r['read']['size']} {r['read']['fps']:.1f} fps, "
                     f"{r['duration_s']:.1f}/{r['truth']['span_s']:.1f} s | {r['detected']:.0%} | {truth_text(r)} | "
                     f"{given} | {auto_text(r)} | {rep} |")
    return lines


def _commit() -> str:
    import subprocess

    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def section(results: list[dict], command: str, note: str = "") -> str:
    lines = [HEADING, "",
             "Rendered clips changed the way real phone and YouTube files differ from the synth's own format "
             "(seeds 30000+), written with PyAV and run through `analyze` (pose model once per clip, then given "
             "and auto mode). Truth: the rendered reps wholly inside what the file shows. 'read as': the size and "
             "frame rate the video source reports, and the clip's duration from its timestamps / the truth's. "
             "'rep s': median rep duration, truth / given mode.", "",
             f"`{command}` (code at {_commit()})", ""] + table(results)
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", required=True, type=Path, help="where the clips, truths and pose caches live")
    ap.add_argument("--only", default="", help="comma-separated variant names")
    ap.add_argument("--write", action="store_true", help="replace this section of BENCHMARKS.md")
    ap.add_argument("--json", type=Path, default=None, help="also save the results here")
    ap.add_argument("--note", type=Path, default=None, help="a file whose text goes after the table (findings)")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    only = {s for s in args.only.split(",") if s}
    unknown = only - {v.name for v in VARIANTS}
    if unknown:
        sys.exit(f"unknown variant(s): {', '.join(sorted(unknown))}")
    results = []
    for v in VARIANTS:
        if only and v.name not in only:
            continue
        results.append(run_variant(v, args.cache))
        print(table(results[-1:])[-1], flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    cmd = "python benchmarks/robustness.py --cache DIR" + (f" --only {args.only}" if only else "")
    text = section(results, cmd, args.note.read_text(encoding="utf-8").strip() if args.note else "")
    print("\n" + text)
    if args.write:
        write_section(HEADING, text, before=NEXT)


if __name__ == "__main__":
    main()
