"""Pose fallback: a second landmarker at confidence 0.2 asked only on the frames the shipped
0.5 landmarker misses -> pose caches to evaluate, its cost, and BENCHMARKS.md.

The product has it as an option, off by default (`--pose-fallback 0.2`; pose.PoseEstimator).

  build DIR... [--out NAME | --root R]   for every DIR/poses/CLIP.poses.jsonl (the 0.5 poses) write
      DIR/NAME/CLIP.poses.jsonl (NAME: poses_fb02; or R/DIRNAME/): the 0.5 frame where it has a person, else
      what a VIDEO-mode landmarker at 0.2 (detection, presence, tracking) finds when fed ONLY
      those frames at their timestamps, as a live fallback would see them. The pose model runs
      on the missed frames only (clips without a miss are copied, header stamped alike). Evaluate with
      `python -m deepfit_coach eval DIR --cache DIR/poses_fb02 --pose-fallback 0.2 --json`.
  cost VIDEO... [--save F]     CPU ms/frame of PoseEstimator alone and with --pose-fallback 0.2
      (live: the fallback asked whenever the primary finds nobody), side by side in
      chunks of 10 frames in rotating order, so a busy machine slows both alike.
  report --base D --cand D --cost F... [--cmd TEXT]   the section of BENCHMARKS.md from eval
      --json outputs (D/SET.json) and saved cost runs.

The header of a built cache is what `--pose-fallback` writes (the primary's confidences plus
``fallback_confidence`` and ``fallback_after_s``): a run without the fallback refuses it, and one
with it reuses it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Foundation: start-up and the pose stage"
TITLE = "### Pose fallback (0.2 on the frames 0.5 misses; an option, off by default)"
FALLBACK = 0.2


def build_clip(video: Path, primary: Path, out: Path, confidence: float = FALLBACK,
               after_s: float | None = None) -> tuple[int, int]:
    """Write ``out`` from the 0.5 cache ``primary`` and ``video``; returns (missed frames, used).

    The fallback landmarker (``PoseEstimator.process_fallback``) is fed every missed frame, so
    it tracks through a loss, and its pose is used from ``after_s`` into the loss on
    (``pose.fallback_in_use``), as ``PoseEstimator.process`` does live."""
    from deepfit_coach.pose import FALLBACK_AFTER_S, PoseEstimator, fallback_in_use
    from deepfit_coach.posefile import PoseFile, PoseWriter
    from deepfit_coach.sources import open_source

    after_s = FALLBACK_AFTER_S if after_s is None else after_s
    pf = PoseFile(primary)
    recs = list(pf)
    missed = sum(r.skeleton is None for r in recs)
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    used = n = 0
    miss_since = None
    with open(part, "w", encoding="utf-8") as f:
        writer = PoseWriter(f, pf.source, pf.fps, pf.confidence or (0.5, 0.5, 0.5), (confidence, after_s))
        if not missed:   # same header as the others, so a folder never mixes stamps
            for rec in recs:
                writer.write(rec.timestamp_ms, rec.index, rec.skeleton)
        else:
            with PoseEstimator(progress=False, fallback_confidence=confidence, fallback_after_s=after_s) as est, \
                    open_source(str(video)) as src:
                for frame, rec in zip(src, recs):
                    n += 1
                    if (frame.index, frame.timestamp_ms) != (rec.index, rec.timestamp_ms):
                        raise SystemExit(f"{video}: frame {frame.index} at {frame.timestamp_ms} ms does not match "
                                         f"{primary} ({rec.index} at {rec.timestamp_ms} ms)")
                    skel = rec.skeleton
                    if skel is not None:
                        miss_since = None
                    else:
                        miss_since = frame.timestamp_ms if miss_since is None else miss_since
                        found = est.process_fallback(frame.image, frame.timestamp_ms, frame.index)
                        if found is not None and fallback_in_use(miss_since, frame.timestamp_ms, after_s):
                            skel, used = found, used + 1
                    writer.write(rec.timestamp_ms, rec.index, skel)
            if n != len(recs):
                raise SystemExit(f"{video}: {n} frames, {primary} has {len(recs)}")
    part.replace(out)
    return missed, used


def build(dirs: list[Path], name: str, root: Path | None = None, after_s: float | None = None) -> None:
    for d in dirs:
        total = [0, 0]
        dest = root / d.name if root is not None else d / name
        for primary in sorted((d / "poses").glob("*.poses.jsonl")):
            out = dest / primary.name
            if out.exists():
                continue
            video = d / (primary.name[:-len(".poses.jsonl")] + ".mp4")
            missed, found = build_clip(video, primary, out, after_s=after_s)
            total[0] += missed
            total[1] += found
            if missed:
                print(f"{d.name} {video.name}: 0.5 missed {missed} frames, fallback poses used {found}", flush=True)
        print(f"{d}: {total[0]} missed frames, fallback poses used {total[1]} -> {dest}", flush=True)


def interleaved_cpu(frames: list, estimators: dict, chunk: int = 10) -> tuple[dict[str, float], dict[str, int]]:
    """Run every estimator live over the same frames, ``chunk`` frames at a time, taking turns in
    alternating order so a loaded machine slows each alike: (CPU seconds, frames with a person
    found) per estimator name. Shared with pose_recover.py's cost."""
    names = list(estimators)
    cpu = {n: 0.0 for n in names}
    found = {n: 0 for n in names}
    for c, start in enumerate(range(0, len(frames), chunk)):
        for name in (names if c % 2 == 0 else names[::-1]):
            t0 = time.process_time()
            for i, (img, ts) in enumerate(frames[start:start + chunk]):
                found[name] += estimators[name].process(img, ts, start + i) is not None
            cpu[name] += time.process_time() - t0
    return cpu, found


def cost(videos: list[Path], chunk: int = 10) -> list[dict]:
    """CPU ms/frame, primary alone vs primary + fallback on its misses (both live)."""
    from deepfit_coach.pose import PoseEstimator
    from deepfit_coach.quiet import native_stderr_silenced
    from deepfit_coach.sources import open_source

    rows = []
    for video in videos:
        with open_source(str(video)) as src:
            frames = [(f.image, f.timestamp_ms) for f in src]
        with native_stderr_silenced():
            alone, withfb = PoseEstimator(progress=False), PoseEstimator(progress=False, fallback_confidence=FALLBACK)
        try:
            cpu, found = interleaved_cpu(frames, {"alone": alone, "fallback": withfb}, chunk)
        finally:
            with native_stderr_silenced():
                for e in (alone, withfb):
                    e.close()
        n = len(frames)
        rows.append({"video": str(video), "frames": n, "missed": n - found["alone"], "found_with": found["fallback"],
                     "alone_ms": 1000 * cpu["alone"] / n, "fallback_ms": 1000 * cpu["fallback"] / n})
        print(json.dumps(rows[-1]), flush=True)
    return rows


POOL = ["eval_tune", "eval_tune2", "eval_tune3", "eval_tune4", "eval_tune5", "eval_tune6", "eval_tune7",
        "form_tune", "eval_tune8", "eval_tune9"]


def _stats(sets: list[dict]) -> dict:
    """evaluation._stats' pooled formulas over eval --json sets."""
    t = np.array([s["truth"] for s in sets], float)
    g = np.array([s["given"] for s in sets], float)
    a = np.array([s["auto"] for s in sets], float)
    found = sum(sum(s["faults_found"].values()) for s in sets)
    total = sum(sum(s["faults_total"].values()) for s in sets)
    clean = sum(s["clean_reps"] for s in sets)
    fa = sum(s["false_alarms"] for s in sets)
    return {"sets": len(sets), "gMAE": float(np.mean(abs(g - t) / np.maximum(t, 1))), "gOBO": float(np.mean(abs(g - t) <= 1)),
            "gwrong": int(np.sum(g != t)), "aMAE": float(np.mean(abs(a - t) / np.maximum(t, 1))),
            "aOBO": float(np.mean(abs(a - t) <= 1)), "awrong": int(np.sum(a != t)),
            "cls": float(np.mean([s["accuracy"] for s in sets if s.get("accuracy") is not None])),
            "recall": found / max(total, 1), "fa": fa, "clean": clean}


def _load(d: Path) -> tuple[list[dict], dict]:
    sets, rest = [], {"clips": 0, "given": 0, "auto": 0}
    for name in POOL:
        p = d / f"{name}.json"
        if not p.exists():
            raise SystemExit(f"{p}: missing (eval --json of every pool set)")
        j = json.loads(p.read_text())
        sets += j["sets"]
        rest["clips"] += j["rest_clips"]
        rest["given"] += j["rest_false_reps_given"]
        rest["auto"] += j["rest_false_reps_auto"] or 0
    return sets, rest


def section(base: Path, cand: Path, costs: list[dict], cmd: str, note: str) -> str:
    bs, br = _load(base)
    cs, cr = _load(cand)

    def row(label: str, s: dict) -> str:
        return (f"| {label} | {s['sets']} | {s['gMAE']:.3f} | {s['gOBO']:.1%} | {s['gwrong']} | {s['aMAE']:.3f} | "
                f"{s['aOBO']:.1%} | {s['awrong']} | {s['cls']:.1%} | {s['recall']:.1%} | {s['fa']} / {s['clean']} |")

    head = ("| poses | sets | given MAE | given OBO | given wrong | auto MAE | auto OBO | auto wrong | "
            "set frames classified | fault recall | false alarms / clean reps |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    lines = [f"Tuning pool (10 sets, {cmd}). Same code for both rows; 0.5 = DIR/poses, fallback = "
             "`python benchmarks/pose_fallback.py build DIR` (the 0.2 landmarker fed only the frames the 0.5 one missed).",
             "", "All exercises:", "", head, row("0.5 (shipped)", _stats(bs)), row("0.5 + fallback 0.2", _stats(cs)), "",
             "Push-ups:", "", head,
             row("0.5 (shipped)", _stats([s for s in bs if s["exercise"] == "pushups"])),
             row("0.5 + fallback 0.2", _stats([s for s in cs if s["exercise"] == "pushups"])), "",
             f"Rest clips: {br['clips']}, reps counted given/auto {br['given']}/{br['auto']} (0.5) and "
             f"{cr['given']}/{cr['auto']} (fallback)."]
    if costs:
        lines += ["", "Cost (`python benchmarks/pose_fallback.py cost VIDEO`, CPU ms per frame of the clip, both "
                  "pipelines live side by side in chunks of 10 frames, full model, 15 fps 640x480, loaded shared machine):", "",
                  "| clip | frames | 0.5 alone finds someone in | with the fallback | 0.5 alone | 0.5 + fallback |",
                  "|---|---:|---:|---:|---:|---:|"]
        for c in costs:
            lines.append(f"| {Path(c['video']).parent.name}/{Path(c['video']).name} | {c['frames']} | {c['frames'] - c['missed']} | "
                         f"{c['found_with']} | {c['alone_ms']:.1f} | {c['fallback_ms']:.1f} |")
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


KEEP = "<!-- measured separately: pose_fallback.py report --write keeps what follows -->"


def write_section(body: str) -> None:
    """Replace TITLE (a ### part) inside SECTION of BENCHMARKS.md, or add it at SECTION's end.
    Whatever the old part has after the ``KEEP`` line (fresh-set and readiness checks, measured
    by other commands) is carried over, so regenerating the tables never drops them."""
    path = ROOT / "BENCHMARKS.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip() == SECTION)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    part = [TITLE, "", *body.strip("\n").splitlines(), ""]
    ps = next((i for i in range(start + 1, end) if lines[i].strip() == TITLE), None)
    if ps is None:
        new = lines[:end] + part + lines[end:]
    else:
        pe = next((i for i in range(ps + 1, end) if lines[i].startswith("### ")), end)
        keep = next((i for i in range(ps + 1, pe) if lines[i].strip() == KEEP), None)
        if keep is not None:
            part = part[:-1] + ["", *lines[keep:pe]]
        new = lines[:ps] + part + lines[pe:]
    path.write_text("\n".join(new) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("dirs", type=Path, nargs="+")
    b.add_argument("--out", default="poses_fb02", help="cache folder name inside each DIR")
    b.add_argument("--root", type=Path, default=None, help="write ROOT/DIRNAME/ instead of DIR/OUT/")
    b.add_argument("--after-s", type=float, default=None,
                   help="use a fallback pose this long into a loss (default: pose.FALLBACK_AFTER_S; 0: always)")
    c = sub.add_parser("cost")
    c.add_argument("videos", type=Path, nargs="+")
    c.add_argument("--save", type=Path, default=None)
    r = sub.add_parser("report")
    r.add_argument("--base", type=Path, required=True)
    r.add_argument("--cand", type=Path, required=True)
    r.add_argument("--cost", type=Path, nargs="*", default=[])
    r.add_argument("--cmd", default="`python -m deepfit_coach eval DIR --cache CACHE --json`")
    r.add_argument("--note", default="")
    r.add_argument("--write", action="store_true", help="replace our part of BENCHMARKS.md")
    args = ap.parse_args()
    if args.cmd == "build":
        build(args.dirs, args.out, args.root, args.after_s)
    elif args.cmd == "cost":
        rows = cost(args.videos)
        if args.save:
            args.save.write_text(json.dumps(rows))
    else:
        costs = [row for p in args.cost for row in json.loads(p.read_text())]
        text = section(args.base, args.cand, costs, args.cmd, args.note)
        print(text)
        if args.write:
            write_section(text)


if __name__ == "__main__":
    sys.exit(main())
