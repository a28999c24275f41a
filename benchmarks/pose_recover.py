"""Pose recovery (deepfit_coach/poserecover.py): finding the person again on the frames the
shipped 0.5 landmarker misses -> how many it finds and how good they are, pose caches to
evaluate, and its cost.

  quality DIR... [--transforms] [--save F]   every clip of DIR/poses (the 0.5 VIDEO poses) with
      missed frames: the ROI recovery (RoiRecovery, thresholds off, so every score is seen) on
      those frames, and with --transforms MediaPipe's IMAGE-mode landmarker (0.5) on the frame as
      it is, padded to a square, mirrored, turned 90/180/270 degrees, and cropped around the last
      known body (margin 25/50/100%), mapped back to the frame. Each is compared with the drawn
      joints (DIR/CLIP.truth.json): pixel error of the body joints (shoulders to ankles) and the
      arms (shoulders, elbows, wrists), and the share of frames whose body error (median over its
      joints) is over 30 px - next to the landmarker's own frames inside the set in the same clips.
  build DIR... --root R   R/DIRNAME/CLIP.poses.jsonl: DIR/poses with the missed frames filled by
      the recovery as PoseEstimator(recover=True) does live (only missed frames run the model).
  cost VIDEO...   CPU ms/frame of PoseEstimator alone and with recover=True, side by side in
      chunks of 10 frames in rotating order.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from deepfit_coach.skeleton import LR_SWAP

BODY = list(range(11, 29))
ARMS = list(range(11, 17))


def _clips(d: Path) -> list[str]:
    out = []
    for p in sorted((d / "poses").glob("*.poses.jsonl")):
        if '"person":null' in p.read_text():
            out.append(p.name[:-len(".poses.jsonl")])
    return out


def _model() -> Path:
    from deepfit_coach.model_store import DEFAULT_VARIANT, resolve_pose_model

    return resolve_pose_model(DEFAULT_VARIANT, None, progress=False)


class _Transforms:
    """IMAGE-mode landmarker on transformed frames; each method -> 33 x 2 frame pixels or None."""

    METHODS = ("full", "pad", "flip", "rot90", "rot180", "rot270", "crop25", "crop50", "crop100")

    def __init__(self, model: Path, confidence: float = 0.5) -> None:
        import cv2
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision

        self.cv2, self.mp = cv2, mp
        self.lm = vision.PoseLandmarker.create_from_options(vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model)), running_mode=vision.RunningMode.IMAGE,
            num_poses=1, min_pose_detection_confidence=confidence, min_pose_presence_confidence=confidence,
            min_tracking_confidence=confidence))

    def _detect(self, rgb: np.ndarray) -> np.ndarray | None:
        r = self.lm.detect(self.mp.Image(image_format=self.mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb)))
        if not r.pose_landmarks:
            return None
        h, w = rgb.shape[:2]
        return np.array([(p.x * w, p.y * h) for p in r.pose_landmarks[0]], np.float64)

    def run(self, method: str, rgb: np.ndarray, box: tuple[float, float, float] | None) -> np.ndarray | None:
        cv2 = self.cv2
        h, w = rgb.shape[:2]
        if method == "full":
            return self._detect(rgb)
        if method == "pad":
            s = max(w, h)
            top, left = (s - h) // 2, (s - w) // 2
            q = self._detect(cv2.copyMakeBorder(rgb, top, s - h - top, left, s - w - left, cv2.BORDER_CONSTANT,
                                                value=(0, 0, 0)))
            return None if q is None else q - [left, top]
        if method == "flip":
            q = self._detect(rgb[:, ::-1])
            return None if q is None else np.stack([w - 1 - q[:, 0], q[:, 1]], 1)[LR_SWAP]
        if method.startswith("rot"):
            k = int(method[3:]) // 90
            code = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}[k]
            q = self._detect(cv2.rotate(rgb, code))
            if q is None:
                return None
            x, y = q[:, 0], q[:, 1]
            return {1: np.stack([y, h - 1 - x], 1), 2: np.stack([w - 1 - x, h - 1 - y], 1),
                    3: np.stack([w - 1 - y, x], 1)}[k]
        if box is None:
            return None
        margin = int(method[4:]) / 100
        cx, cy, size = box
        side = size * (1 + 2 * margin)
        x0, y0, out = cx - side / 2, cy - side / 2, 384
        m = np.array([[out / side, 0, -x0 * out / side], [0, out / side, -y0 * out / side]], np.float32)
        q = self._detect(cv2.warpAffine(rgb, m, (out, out), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT))
        return None if q is None else q * side / out + [x0, y0]


def _box(px: np.ndarray) -> tuple[float, float, float]:
    lo, hi = px[:, :2].min(0), px[:, :2].max(0)
    return float((lo[0] + hi[0]) / 2), float((lo[1] + hi[1]) / 2), max(float(max(hi - lo)), 40.0)


def quality(dirs: list[Path], transforms: bool) -> dict:
    """Per group (exercise_view): per-frame (body errors, arm errors) for 'found' (the landmarker's
    frames inside the set), 'recovered' (passing RoiRecovery's thresholds), 'recovery, any score'
    and each transform; plus the number of missed frames."""
    import cv2

    from deepfit_coach.posefile import PoseFile
    from deepfit_coach.poserecover import RoiRecovery
    from deepfit_coach.sources import open_source

    model = _model()
    rec = RoiRecovery(model, after_s=0.0)   # every frame it is sure of, however early in a loss
    tr = _Transforms(model) if transforms else None
    stats: dict = defaultdict(lambda: defaultdict(list))
    missed: dict = defaultdict(int)
    for d in dirs:
        for clip in _clips(d):
            group = clip.rsplit("_", 1)[0]
            exercise = group.rsplit("_", 1)[0]
            frames = json.loads((d / f"{clip}.truth.json").read_text())["frames"]
            j2, inf = np.array(frames["joints_2d"]), np.array(frames["in_frame"]).astype(bool)

            def errs(px: np.ndarray, i: int) -> tuple[list, list]:
                e = np.linalg.norm(np.asarray(px)[:33, :2] - j2[i], axis=1)
                body, arms = e[[k for k in BODY if inf[i, k]]], e[[k for k in ARMS if inf[i, k]]]
                return body.tolist(), arms.tolist()

            boxes: dict = {}
            rec.reset()
            with open_source(str(d / f"{clip}.mp4")) as src:
                for frame, r in zip(src, PoseFile(d / "poses" / f"{clip}.poses.jsonl")):
                    sk = r.skeleton
                    if sk is not None:
                        rec.seen(sk)
                        px = sk.image[:, :2] * [sk.width, sk.height]
                        boxes = dict.fromkeys(_Transforms.METHODS, _box(px))
                        if frames["label"][r.index] == exercise:
                            stats[group]["found"].append(errs(px, r.index))
                        continue
                    missed[group] += 1
                    rgb = cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB)
                    got = rec.recover(rgb, r.timestamp_ms, r.index)
                    if got is not None:
                        stats[group]["recovered"].append(errs(got.image[:, :2] * [got.width, got.height], r.index))
                    if tr is not None:
                        for m in tr.METHODS:
                            q = tr.run(m, rgb, boxes.get(m))
                            if q is not None:
                                stats[group][m].append(errs(q, r.index))
                                if m.startswith("crop"):
                                    boxes[m] = _box(q)
            print(f"{d.name}/{clip}: {group} missed {missed[group]}, recovered {len(stats[group]['recovered'])}",
                  file=sys.stderr, flush=True)
    return {"missed": dict(missed), "stats": {g: dict(v) for g, v in stats.items()}}


def quality_table(q: dict, groups: list[str] | None = None) -> str:
    head = ("| frames | n | body px median | body px p90 | arms px median | arms px p90 | frames > 30 px |\n"
            "|---|---:|---:|---:|---:|---:|---:|")

    def row(label: str, items: list) -> str:
        body = [e for b, _ in items for e in b]
        arms = [e for _, a in items for e in a]
        per = np.array([np.median(b) for b, _ in items if b])
        if not body:
            return f"| {label} | 0 | | | | | |"
        return (f"| {label} | {len(items)} | {np.median(body):.1f} | {np.percentile(body, 90):.1f} | "
                f"{np.median(arms):.1f} | {np.percentile(arms, 90):.1f} | {np.mean(per > 30):.0%} |")

    out = []
    names = groups or sorted(q["stats"], key=lambda g: -q["missed"].get(g, 0))
    allg = {"missed": sum(q["missed"].values()), "stats": defaultdict(list)}
    for g in q["stats"]:
        for k, v in q["stats"][g].items():
            allg["stats"][k] += v
    for title, missed, st in [("all clips with misses", allg["missed"], allg["stats"])] + \
            [(g, q["missed"].get(g, 0), q["stats"][g]) for g in names]:
        out += [f"{title}: {missed} missed frames", "", head,
                row("landmarker's own, inside the set", st.get("found", [])), row("recovered (ROI recovery)", st.get("recovered", []))]
        out += [row(f"IMAGE mode, {m}", st[m]) for m in _Transforms.METHODS if m in st]
        out.append("")
    return "\n".join(out)


def build(dirs: list[Path], root: Path) -> None:
    for d in dirs:
        total = build_dir(d, d / "poses", root / d.name)
        print(f"{d}: {total[0]} missed frames, {total[1]} recovered -> {root / d.name}", flush=True)


def build_dir(d: Path, primary_dir: Path, out_dir: Path, rec=None) -> tuple[int, int]:
    """``out_dir``/CLIP.poses.jsonl for every ``primary_dir``/CLIP.poses.jsonl (the landmarker's
    poses of ``d``/CLIP.mp4) not there yet: the same with the missed frames filled by the recovery
    (marked "recovered"), as analyze writes them with the recovery on. Returns (missed, recovered)."""
    import cv2

    from deepfit_coach.posefile import PoseFile, PoseWriter
    from deepfit_coach.poserecover import RoiRecovery
    from deepfit_coach.sources import open_source

    rec = rec or RoiRecovery(_model())
    total = [0, 0]
    out_dir.mkdir(parents=True, exist_ok=True)
    for primary in sorted(primary_dir.glob("*.poses.jsonl")):
        out = out_dir / primary.name
        if out.exists():
            continue
        pf = PoseFile(primary)
        part = out.with_name(out.name + ".part")
        missed = used = 0
        with open(part, "w", encoding="utf-8") as f:
            w = PoseWriter(f, pf.source, pf.fps, pf.confidence or (0.5, 0.5, 0.5),
                           recover=(rec.min_flag, rec.min_visible, rec.after_s))
            recs = list(pf)
            if all(r.skeleton is not None for r in recs):
                for r in recs:
                    w.write(r.timestamp_ms, r.index, r.skeleton)
            else:
                rec.reset()
                video = d / (primary.name[:-len(".poses.jsonl")] + ".mp4")
                with open_source(str(video)) as src:
                    for frame, r in zip(src, recs):
                        if (frame.index, frame.timestamp_ms) != (r.index, r.timestamp_ms):
                            raise SystemExit(f"{video}: frame {frame.index} does not match {primary}")
                        sk = r.skeleton
                        if sk is not None:
                            rec.seen(sk)
                        else:
                            missed += 1
                            sk = rec.recover(cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB), r.timestamp_ms, r.index)
                            used += sk is not None
                        w.write(r.timestamp_ms, r.index, sk)
        part.replace(out)
        total[0] += missed
        total[1] += used
    return total[0], total[1]


def cost(videos: list[Path], chunk: int = 10) -> list[dict]:
    """CPU ms/frame, the landmarker alone vs with the recovery on its misses (both live)."""
    from pose_fallback import interleaved_cpu   # benchmarks/, the script's own directory

    from deepfit_coach.pose import PoseEstimator
    from deepfit_coach.sources import open_source

    rows = []
    for video in videos:
        with open_source(str(video)) as src:
            frames = [(f.image, f.timestamp_ms) for f in src]
        alone, withr = PoseEstimator(progress=False), PoseEstimator(progress=False, recover=True)
        try:
            cpu, found = interleaved_cpu(frames, {"alone": alone, "recover": withr}, chunk)
        finally:
            alone.close()
            withr.close()
        n = len(frames)
        rows.append({"video": str(video), "frames": n, "found_alone": found["alone"], "found_recover": found["recover"],
                     "alone_ms": 1000 * cpu["alone"] / n, "recover_ms": 1000 * cpu["recover"] / n})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("quality")
    q.add_argument("dirs", type=Path, nargs="+")
    q.add_argument("--transforms", action="store_true")
    q.add_argument("--save", type=Path, default=None)
    t = sub.add_parser("table")
    t.add_argument("saved", type=Path, nargs="+")
    b = sub.add_parser("build")
    b.add_argument("dirs", type=Path, nargs="+")
    b.add_argument("--root", type=Path, required=True)
    c = sub.add_parser("cost")
    c.add_argument("videos", type=Path, nargs="+")
    args = ap.parse_args()
    if args.cmd == "quality":
        res = quality(args.dirs, args.transforms)
        if args.save:
            args.save.write_text(json.dumps(res))
        print(quality_table(res))
    elif args.cmd == "table":
        merged: dict = {"missed": defaultdict(int), "stats": defaultdict(lambda: defaultdict(list))}
        for p in args.saved:
            r = json.loads(p.read_text())
            for g, n in r["missed"].items():
                merged["missed"][g] += n
            for g, st in r["stats"].items():
                for k, v in st.items():
                    merged["stats"][g][k] += v
        print(quality_table(merged))
    elif args.cmd == "build":
        build(args.dirs, args.root)
    else:
        cost(args.videos)


if __name__ == "__main__":
    sys.exit(main())
