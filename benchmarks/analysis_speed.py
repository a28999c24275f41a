"""What ``analyze`` costs after the pose model, against the pose model (issue 5: <= 5%).

    python benchmarks/analysis_speed.py DIR [DIR ...] [--clips 8] [--repeats 5]
        [--cache poses|poses_c02|both] [--pose-video V | --pose-ms MS | --no-pose]
        [--save FILE] [--before FILE] [--write]
    python benchmarks/analysis_speed.py --from FILE [--before FILE] [--write]

Each DIR is an eval set (videos, truth files, pose caches in DIR/poses as ``eval --cache``
writes them; DIR/poses_c02 for the 0.2-confidence realisation). Two groups of clips:

* ``held-out style``: the first squats side clip of each DIR, the clip
  ``benchmarks/eval_rendered.py`` times on the held-out set, each clip on its own;
* ``spread``: ``--clips`` exercise clips of each DIR, every exercise and view in turn.

Each clip is analysed from its cached poses in given mode (the truth's exercise) and auto
mode (classifier, then the trackers of the label and its runner-ups); with one DIR,
auto mode with the classifier stepped frame by frame too (the live path). The pose model
is timed on one video (``--pose-video``, default the first DIR's first squats side clip),
running it once.

Times are CPU seconds of this process (``time.process_time``, which counts the pose
model's own threads too), so other programs on a shared machine slow each side alike
instead of inflating one run; repeats are interleaved, the median is reported with the
fastest and slowest repeat. ``--save`` keeps the numbers (JSON); ``--before`` shows a saved
run beside this one (e.g. of an older checkout: ``PYTHONPATH=OLD python benchmarks/analysis_speed.py
... --save old.json``). ``--from`` writes the section of a saved run without measuring again.
``--write`` replaces the "## Analysis overhead" section of BENCHMARKS.md (only that section).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

from deepfit_coach.training.report import write_section

HEADING = "## Analysis overhead (auto and given mode, tuning pool)"
NEXT = "## Rendered ground truth (synth)"   # the section goes before this one when it is new


def pose_time(video: Path) -> dict:
    """The pose model over one video, once: CPU and wall ms per frame of ``process`` alone
    (decoding excluded), and the frames' Poses for the analysis."""
    from deepfit_coach.analysis import Poses
    from deepfit_coach.pose import PoseEstimator
    from deepfit_coach.sources import open_source

    skeletons, times, cpu, wall = [], [], 0.0, 0.0
    with open_source(str(video)) as src, PoseEstimator() as pose:
        fps = float(getattr(src, "fps", 0) or 30.0)
        for frame in src:
            c0, w0 = time.process_time(), time.perf_counter()
            skel = pose.process(frame.image, frame.timestamp_ms, frame.index)
            cpu += time.process_time() - c0
            wall += time.perf_counter() - w0
            skeletons.append(skel)
            times.append(frame.timestamp_ms / 1000.0)
    n = max(len(skeletons), 1)
    return {"frames": len(skeletons), "pose_cpu_ms": 1000 * cpu / n, "pose_wall_ms": 1000 * wall / n,
            "poses": Poses(str(video), fps, skeletons, times, wall)}


@contextmanager
def framewise_classifier():
    """``analyze`` as it ran before the batched classifier: the live classifier stepped
    frame by frame over the clip (``TemporalClassifier.update``)."""
    from deepfit_coach.classifier.temporal import TemporalClassifier

    if not hasattr(TemporalClassifier, "decide_clip"):   # a checkout from before the batch path
        yield
        return
    batched = TemporalClassifier.decide_clip

    def stepped(self, skeletons, times):
        self.reset()
        return [self.update(s, float(t)) for s, t in zip(skeletons, times)]

    TemporalClassifier.decide_clip = stepped
    try:
        yield
    finally:
        TemporalClassifier.decide_clip = batched


def analysis_times(clips: list[tuple[object, str]], repeats: int, auto: bool = True,
                   framewise: bool = True, classifier: bool = False) -> dict[str, dict[str, float]]:
    """Median CPU and wall ms per frame of ``analyze_poses`` over ``clips`` ((Poses,
    exercise) pairs), per mode: given, auto (batched classifier), auto_framewise, and
    with ``classifier`` the classifier's timeline alone (auto mode's first step); with
    each repeat's CPU ms per frame (``cpu_runs``)."""
    from deepfit_coach.analysis import analyze_poses, default_segmenter

    def timeline(poses, exercise):
        default_segmenter(poses.skeletons, poses.times)

    frames = sum(len(p.skeletons) for p, _ in clips)
    runs = {"given": (True, nullcontext)}
    if auto:
        runs["auto"] = (False, nullcontext)
    if auto and framewise:
        runs["auto_framewise"] = (False, framewise_classifier)
    if auto and classifier:
        runs["classifier"] = (None, nullcontext)
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    wall: dict[str, list[float]] = {k: [] for k in runs}
    analyze_poses(clips[0][0], exercise=None if auto else clips[0][1])   # load the models before timing
    for _ in range(repeats):
        for mode, (given, ctx) in runs.items():
            with ctx():
                c0, w0 = time.process_time(), time.perf_counter()
                for poses, exercise in clips:
                    if given is None:
                        timeline(poses, exercise)
                    else:
                        analyze_poses(poses, exercise=exercise if given else None)
                cpu[mode].append(1000 * (time.process_time() - c0) / frames)
                wall[mode].append(1000 * (time.perf_counter() - w0) / frames)
    return {m: {"cpu_ms": statistics.median(cpu[m]), "wall_ms": statistics.median(wall[m]),
                "cpu_runs": [round(x, 4) for x in cpu[m]]} for m in runs}


def _exercise_clips(directory: Path, cache: str) -> list[tuple[Path, Path, str]]:
    """(video, pose cache, exercise) of DIR's clips with one exercise's sets, name order."""
    out = []
    for video in sorted(directory.glob("*.mp4")):
        truth = video.with_suffix(".truth.json")
        poses = directory / cache / (video.stem + ".poses.jsonl")
        if not (truth.is_file() and poses.is_file()):
            continue
        t = json.loads(truth.read_text())
        exercise = t.get("spec", {}).get("exercise")
        if exercise and any(s.get("exercise") == exercise for s in t.get("sets", [])):
            out.append((video, poses, exercise))
    return out


def pick_clips(directory: Path, count: int, cache: str = "poses", offset: int = 0) -> list[tuple[object, str]]:
    """``count`` exercise clips of DIR spread over the set: clip k from the k-th stretch of
    the name order, and within it the (k + offset)-th of the exercise's four clips (front 0/1,
    side 0/1), so both views come in (a plain stride of four picks one kind only)."""
    from deepfit_coach.analysis import load_poses

    videos = _exercise_clips(directory, cache)
    if not videos or count <= 0:
        return []
    picked = []
    for k in range(min(count, len(videos))):
        i = (k * len(videos)) // min(count, len(videos))
        i = min(i + (k + offset) % 4, len(videos) - 1)
        if videos[i] not in picked:
            picked.append(videos[i])
    return [(load_poses(c), ex) for _, c, ex in picked]


def held_out_style_clip(directory: Path, cache: str = "poses") -> tuple[object, str] | None:
    """The clip ``eval_rendered.py`` times: DIR's first squats side clip (with its pose cache)."""
    from deepfit_coach.analysis import load_poses

    video = next(iter(sorted(directory.glob("squats_side_*.mp4"))), None)
    if video is None or not (directory / cache / (video.stem + ".poses.jsonl")).is_file():
        return None
    return load_poses(directory / cache / (video.stem + ".poses.jsonl")), "squats"


def _spread(runs: list[float]) -> str:
    return f"{min(runs):.3f}-{max(runs):.3f}"


def measure(dirs: list[Path], caches: list[str], clips: int, repeats: int) -> dict:
    """Both clip groups, per pose cache: analysis CPU ms per frame by mode."""
    out: dict = {}
    for cache in caches:
        single = {}
        for d in dirs:
            c = held_out_style_clip(d, cache)
            if c is not None:
                single[d.name] = {"frames": len(c[0].skeletons),
                                  **analysis_times([c], repeats, framewise=False)}
        spread = [c for k, d in enumerate(dirs) for c in pick_clips(d, clips, cache, offset=k)]
        res = {"held_out_style": single}
        if spread:
            res["spread"] = {"clips": len(spread), "frames": sum(len(p.skeletons) for p, _ in spread),
                             **analysis_times(spread, repeats, framewise=len(dirs) == 1, classifier=True)}
        out[cache] = res
    return out


def section(out: dict, cmd: str, before: dict | None = None, before_cmd: str = "", note: str = "") -> str:
    """The BENCHMARKS.md section from ``main``'s results (and a saved earlier run's)."""
    pose = out.get("pose")
    pose_ms = pose["pose_cpu_ms"] if pose else None

    def ratio(ms: float) -> str:
        return f" = **{ms / pose_ms:.1%}**" if pose_ms else ""

    def was(cache: str, group: str, mode: str) -> str:
        """The earlier run's figure for a cell: ' (before: X ms = Y%)'."""
        res = (before or {}).get("analysis", {}).get(cache, {})
        if group == "spread" and res.get("spread"):
            ms = res["spread"][mode]["cpu_ms"]
        elif group == "single" and res.get("held_out_style"):
            ms = statistics.mean(v[mode]["cpu_ms"] for v in res["held_out_style"].values())
        elif group == "worst" and res.get("held_out_style"):
            ms = max(v["auto"]["cpu_ms"] for v in res["held_out_style"].values())
        else:
            return ""
        return f" [before: {ms:.3f}" + (f" = {ms / pose_ms:.1%}]" if pose_ms else "]")

    lines = [HEADING, "",
             f"`{cmd}` on {out['machine']} ({out['cpu']}), shared with other jobs (1-min load "
             f"{out['load_1min']:.1f} at the start, {out['load_1min_end']:.1f} at the end). CPU time of the "
             f"process (`time.process_time`), each clip analysed from its cached poses, {out['repeats']} "
             "repeats interleaved by mode; the median repeat, with the fastest-slowest repeat in brackets "
             "(ms per frame)."]
    if pose:
        seen = (f"run once on {pose['video']}, {pose['frames']} frames, {pose['pose_cpu_ms']:.1f} ms/frame CPU "
                f"({pose['pose_wall_ms']:.1f} wall)" if pose.get("video") else
                f"{pose['pose_cpu_ms']:.1f} ms/frame CPU, as measured before (--pose-ms)")
        lines.append(f"Pose model (full): {seen}; the ratios are analysis CPU / pose-model CPU (issue 5: <= 5%).")
    if before:
        lines.append(f"[before: ...] is {before.get('label') or 'an earlier run'}, `{before_cmd}` (1-min load "
                     f"{before.get('load_1min', 0):.1f} -> {before.get('load_1min_end', 0):.1f}; its median repeat, "
                     "the same pose-model time).")
    lines.append("")
    lines.append("| pose cache | clips | frames | given mode | auto mode |")
    lines.append("|---|---|---|---|---|")
    for cache, res in out["analysis"].items():
        sp = res.get("spread")
        if sp:
            cells = [f"{sp[m]['cpu_ms']:.3f} ({_spread(sp[m]['cpu_runs'])}){ratio(sp[m]['cpu_ms'])}"
                     f"{was(cache, 'spread', m)}" for m in ("given", "auto")]
            lines.append(f"| {cache} | {sp['clips']} spread over every exercise and view | {sp['frames']} | "
                         f"{cells[0]} | {cells[1]} |")
        single = res["held_out_style"]
        if single:
            worst = max(single, key=lambda k: single[k]["auto"]["cpu_ms"])
            g = statistics.mean(v["given"]["cpu_ms"] for v in single.values())
            a = statistics.mean(v["auto"]["cpu_ms"] for v in single.values())
            w = single[worst]["auto"]
            lines.append(f"| {cache} | the first squats side clip of each set (the held-out measurement's clip), "
                         f"mean of {len(single)} | {sum(v['frames'] for v in single.values())} | "
                         f"{g:.3f}{ratio(g)}{was(cache, 'single', 'given')} | "
                         f"{a:.3f}{ratio(a)}{was(cache, 'single', 'auto')}; "
                         f"most {w['cpu_ms']:.3f} ({_spread(w['cpu_runs'])}){ratio(w['cpu_ms'])} in {worst}"
                         f"{was(cache, 'worst', 'auto')} |")
    for cache, res in out["analysis"].items():
        sp = res.get("spread")
        if sp and "classifier" in sp:
            c = sp["classifier"]["cpu_ms"]
            rest = sp["auto"]["cpu_ms"] - c
            lines += ["", f"{cache}, spread clips: of auto mode's {sp['auto']['cpu_ms']:.3f} ms/frame the "
                      f"classifier's timeline (features and both models over the whole clip) takes {c:.3f}{ratio(c)}, "
                      f"the trackers of the bouts' labels and runner-ups and the set reviews the other "
                      f"{rest:.3f}{ratio(rest)}."]
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", type=Path, nargs="*")
    ap.add_argument("--from", dest="saved", type=Path, default=None, help="a saved run (--save): no measuring")
    ap.add_argument("--clips", type=int, default=8, help="spread clips per DIR")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--cache", choices=("poses", "poses_c02", "both"), default="poses")
    ap.add_argument("--pose-video", type=Path, default=None)
    ap.add_argument("--pose-ms", type=float, default=None, help="the pose model's CPU ms/frame, measured before")
    ap.add_argument("--no-pose", action="store_true", help="skip the pose model (analysis times only)")
    ap.add_argument("--save", type=Path, default=None, help="keep this run's numbers (JSON)")
    ap.add_argument("--label", default="", help="which code was measured (kept with --save, shown for --before)")
    ap.add_argument("--before", type=Path, default=None, help="a saved run (--save) to show beside this one")
    ap.add_argument("--note", default="", help="a paragraph for the end of the section")
    ap.add_argument("--write", action="store_true", help="replace this benchmark's section of BENCHMARKS.md")
    a = ap.parse_args()
    before = json.loads(a.before.read_text()) if a.before else None
    if a.saved:
        out = json.loads(a.saved.read_text())
        text = section(out, out.get("cmd", ""), before, (before or {}).get("cmd", ""), a.note)
        print(text)
        if a.write:
            write_section(HEADING, text, before=NEXT)
        return
    if not a.dirs:
        sys.exit("name at least one eval set directory (or --from a saved run)")
    for d in a.dirs:
        if not d.is_dir():
            sys.exit(f"{d}: no such directory")
    caches = ["poses", "poses_c02"] if a.cache == "both" else [a.cache]
    out: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores", "cpu": _cpu_name(),
                 "load_1min": os.getloadavg()[0], "repeats": a.repeats}
    out["analysis"] = measure(a.dirs, caches, a.clips, a.repeats)
    if not any(r["held_out_style"] or r.get("spread") for r in out["analysis"].values()):
        sys.exit(f"no clips with a truth file and a pose cache in {', '.join(str(d / caches[0]) for d in a.dirs)}")
    if a.pose_ms is not None:
        out["pose"] = {"video": None, "frames": 0, "pose_cpu_ms": a.pose_ms}
    elif not a.no_pose:
        video = a.pose_video or next(iter(sorted(a.dirs[0].glob("squats_side_*.mp4"))), None)
        if video is None:
            sys.exit(f"{a.dirs[0]}: no squats_side_*.mp4 for the pose model (pass --pose-video)")
        pose = pose_time(video)
        pose.pop("poses")
        out["pose"] = {"video": video.name, **pose}
    out["load_1min_end"] = os.getloadavg()[0]
    out["label"] = a.label
    out["cmd"] = "python benchmarks/analysis_speed.py " + " ".join(
        x for x in sys.argv[1:] if x != "--write")
    print(json.dumps(out, indent=1))
    if a.save:
        a.save.write_text(json.dumps(out, indent=1))
    text = section(out, out["cmd"], before, (before or {}).get("cmd", ""), a.note)
    print("\n" + text)
    if a.write:
        write_section(HEADING, text, before=NEXT)


if __name__ == "__main__":
    main()
