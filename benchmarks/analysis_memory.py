"""Peak memory of ``analyze`` against the length of the video (issue 5: it must not grow ~0.3 MB
per second of video).

    python benchmarks/analysis_memory.py POSES.jsonl [--laps 4] [--before SRC] [--save FILE] [--write]
    python benchmarks/analysis_memory.py --from FILE [--write]

POSES.jsonl is a long recording's poses (``benchmarks/robustness.py --cache DIR --only
long_workout`` writes DIR/long_workout.poses.jsonl: 179 s, five sets with rests). From it the
script makes a short clip (its first 30 s) and a long one (the recording ``--laps`` times
over, the times running on), and runs ``deepfit-coach analyze replay:FILE --json`` on each
in a process of its own, given mode (``--exercise``) and auto mode, reading the process's
peak resident memory from the kernel (``os.wait4``'s ``ru_maxrss``). MB per minute of video
is the slope between the recording and the long clip. With ``--before SRC`` (an older
source tree, e.g. ``git archive``d) the same runs with ``PYTHONPATH=SRC`` too, and the
outputs of both checkouts are compared byte for byte.

Where the memory goes: one more process per checkout traces the recording's analysis with
``tracemalloc`` (Python and numpy allocations, not the libraries' own): the poses held after
loading, and the peak above them while the classifier's timeline is made and while the
trackers run. ``--write`` replaces the "## Analysis memory" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADING = "## Analysis memory (long videos)"
NEXT = "## Rendered ground truth (synth)"   # the section goes before this one when it is new
SHORT_S = 30.0

STAGES = r'''
import gc, json, sys, tracemalloc
from deepfit_coach.analysis import analyze_poses, default_segmenter, load_poses
from deepfit_coach.exercises import load_catalogue
path, exercise = sys.argv[1], (sys.argv[2] or None)
cat = load_catalogue()
analyze_poses(load_poses("replay:" + sys.argv[3]), exercise, cat)   # imports and models loaded first
gc.collect()
tracemalloc.start()
base = tracemalloc.get_traced_memory()[0]
poses = load_poses("replay:" + path)
gc.collect()
held = tracemalloc.get_traced_memory()[0] - base
out = {"frames": len(poses.times), "held": held}
if exercise is None:
    tracemalloc.reset_peak()
    timeline = default_segmenter(poses.skeletons, poses.times)
    out["timeline_peak"] = tracemalloc.get_traced_memory()[1] - base - held
    segmenter = lambda s, t: timeline
else:
    segmenter = None
gc.collect()
tracemalloc.reset_peak()
now = tracemalloc.get_traced_memory()[0]
analyze_poses(poses, exercise, cat, segmenter=segmenter)
out["tracking_peak"] = tracemalloc.get_traced_memory()[1] - now
print(json.dumps(out))
'''


def make_clips(poses: Path, laps: int, out: Path) -> dict[str, Path]:
    """The recording, its first ``SHORT_S`` and the recording ``laps`` times over (pose files),
    written line by line: this process stays small, as the measured ones inherit its size."""
    def frames():
        with open(poses, encoding="utf-8") as f:
            f.readline()
            for line in f:
                if line.strip():
                    yield json.loads(line)

    with open(poses, encoding="utf-8") as f:
        header = f.readline().rstrip("\n")
    fps = float(json.loads(header).get("fps") or 30.0)
    t0 = count = last = None
    for d in frames():
        t0 = d["t_ms"] if t0 is None else t0
        last, count = d["t_ms"], (count or 0) + 1
    step = last - t0 + round(1000 / fps)
    clips = {"short": out / "short.poses.jsonl", "recording": poses, "long": out / f"x{laps}.poses.jsonl"}
    with open(clips["short"], "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for d in frames():
            if d["t_ms"] - t0 <= 1000 * SHORT_S:
                f.write(json.dumps(d, separators=(",", ":")) + "\n")
    with open(clips["long"], "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for lap in range(laps):
            for d in frames():
                e = dict(d, t_ms=d["t_ms"] + lap * step, frame=d.get("frame", 0) + lap * count)
                f.write(json.dumps(e, separators=(",", ":")) + "\n")
    return clips


def _env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def peak_rss(pose_file: Path, exercise: str | None, src: Path | None) -> dict:
    """One ``analyze replay:FILE --json`` process: its peak RSS (MB), CPU seconds and output's hash."""
    cmd = [sys.executable, "-m", "deepfit_coach", "analyze", f"replay:{pose_file}", "--json"]
    if exercise:
        cmd += ["--exercise", exercise]
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, env=_env(src), cwd=tempfile.gettempdir())
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode})")
    return {"peak_mb": usage.ru_maxrss / 1024, "cpu_s": usage.ru_utime + usage.ru_stime,
            "sha": hashlib.sha256(text).hexdigest()[:16], "frames": json.loads(text)["frames"]}


def stages(pose_file: Path, warm: Path, exercise: str | None, src: Path | None) -> dict:
    res = subprocess.run([sys.executable, "-c", STAGES, str(pose_file), exercise or "", str(warm)],
                         capture_output=True, text=True, env=_env(src), cwd=tempfile.gettempdir())
    if res.returncode != 0:
        raise SystemExit(f"stage tracing failed: {res.stderr.strip().splitlines()[-1:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def measure(poses: Path, laps: int, exercise: str, checkouts: dict[str, Path | None]) -> dict:
    with open(poses, encoding="utf-8") as f:
        fps = float(json.loads(f.readline()).get("fps") or 30.0)
    out: dict = {"fps": fps, "laps": laps, "runs": {}, "stages": {}}
    with tempfile.TemporaryDirectory() as tmp:
        clips = make_clips(poses, laps, Path(tmp))
        for name, src in checkouts.items():
            runs = {}
            for mode in ("given", "auto"):
                for clip, path in clips.items():
                    r = peak_rss(path, exercise if mode == "given" else None, src)
                    r["minutes"] = r["frames"] / fps / 60
                    runs[f"{mode}/{clip}"] = r
                    print(name, mode, clip, f"{r['peak_mb']:.0f} MB", f"{r['cpu_s']:.1f} s", file=sys.stderr)
            out["runs"][name] = runs
            out["stages"][name] = {mode: stages(poses, clips["short"], exercise if mode == "given" else None, src)
                                   for mode in ("given", "auto")}
    out["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return out


def slope(runs: dict, mode: str) -> float:
    """MB of peak RSS per minute of video, between the recording and the long clip."""
    a, b = runs[f"{mode}/recording"], runs[f"{mode}/long"]
    return (b["peak_mb"] - a["peak_mb"]) / (b["minutes"] - a["minutes"])


def section(out: dict, cmd: str) -> str:
    names = list(out["runs"])
    first = out["runs"][names[0]]
    mins = {c: first[f"given/{c}"]["minutes"] for c in ("short", "recording", "long")}
    lines = [HEADING, "",
             f"Peak resident memory of `deepfit-coach analyze replay:FILE --json` (one process per run, "
             f"`ru_maxrss`), on the long_workout recording's poses ({mins['recording']:.1f} min, 5 sets), its first "
             f"{mins['short'] * 60:.0f} s, and the recording {out['laps']} times over ({mins['long']:.1f} min); "
             f"MB per minute of video is the slope between the last two. Machine: {out['machine']}.", "",
             f"`{cmd}`", "",
             "| checkout | mode | " + " | ".join(f"{c} ({mins[c]:.1f} min)" for c in ("short", "recording", "long"))
             + " | MB per min of video | 1 h video (est.) |",
             "|---|---|---|---|---|---|---|"]
    for name in names:
        runs = out["runs"][name]
        for mode in ("given", "auto"):
            s = slope(runs, mode)
            hour = runs[f"{mode}/recording"]["peak_mb"] + s * (60 - mins["recording"])
            lines.append(f"| {name} | {mode} | " + " | ".join(f"{runs[f'{mode}/{c}']['peak_mb']:.0f} MB"
                                                             for c in ("short", "recording", "long"))
                         + f" | {s:.1f} | {hour:.0f} MB |")
    if len(names) > 1:
        same = all(out["runs"][names[0]][k]["sha"] == out["runs"][n][k]["sha"] for n in names[1:]
                   for k in out["runs"][names[0]])
        lines += ["", f"`analyze --json` output of every run byte-identical between the checkouts: "
                      f"{'yes' if same else 'NO'}."]
    lines += ["", "Where it goes (tracemalloc on the recording: Python and numpy allocations; bytes per frame "
                  "of video): the poses held once loaded, and the peak above them while the classifier's timeline "
                  "is made (auto mode) and while the trackers run.", "",
              "| checkout | mode | poses held | timeline peak | tracking peak |", "|---|---|---|---|---|"]
    for name in names:
        for mode in ("given", "auto"):
            st = out["stages"][name][mode]
            n = st["frames"]
            tl = f"{st['timeline_peak'] / n:.0f} B" if "timeline_peak" in st else "-"
            lines.append(f"| {name} | {mode} | {st['held'] / n:.0f} B | {tl} | {st['tracking_peak'] / n:.0f} B |")
    if out.get("note"):
        lines += ["", out["note"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("poses", nargs="?", type=Path, help="a long recording's pose file (.poses.jsonl)")
    ap.add_argument("--laps", type=int, default=4, help="the long clip is the recording this many times over")
    ap.add_argument("--exercise", default="squats", help="given mode's exercise")
    ap.add_argument("--before", type=Path, default=None, help="an older source tree to measure too")
    ap.add_argument("--save", type=Path, default=None)
    ap.add_argument("--from", dest="load", type=Path, default=None, help="a saved run: write its section")
    ap.add_argument("--note", type=Path, default=None, help="a file whose text goes after the tables")
    ap.add_argument("--write", action="store_true", help="replace this section of BENCHMARKS.md")
    args = ap.parse_args()
    if args.load:
        out = json.loads(args.load.read_text(encoding="utf-8"))
    else:
        if args.poses is None or not args.poses.is_file():
            sys.exit("give a pose file (benchmarks/robustness.py --cache DIR --only long_workout writes one)")
        checkouts: dict[str, Path | None] = {}
        if args.before:
            checkouts["before"] = args.before.resolve()
        checkouts["this"] = None    # as this process imports it (PYTHONPATH)
        out = measure(args.poses.resolve(), args.laps, args.exercise, checkouts)
        out["cmd"] = ("python benchmarks/analysis_memory.py DIR/long_workout.poses.jsonl"
                      + (f" --laps {args.laps}" if args.laps != 4 else "") + (" --before SRC" if args.before else ""))
    if args.note:
        out["note"] = args.note.read_text(encoding="utf-8").strip()
    if args.save:
        args.save.write_text(json.dumps(out, indent=1), encoding="utf-8")
    text = section(out, out.get("cmd", "python benchmarks/analysis_memory.py"))
    print(text)
    if args.write:
        from deepfit_coach.training.report import write_section

        write_section(HEADING, text, before=NEXT)


if __name__ == "__main__":
    main()
