"""Form-rule tuning aid: a fault-rich rendered set, and each rule's signal on faulty vs clean reps.

    python benchmarks/form_tuning.py build DIR          # render the fault set (seeds 20000+)
    python -m deepfit_coach eval DIR --json --cache DIR/poses_rec --no-auto   # pose caches, once
    python benchmarks/form_tuning.py table DIR [DIR2 ...] [--exercise E] [--ideal]
    python benchmarks/form_tuning.py rule DIR [DIR2 ...] --exercise E --rule NAME [--exercises trial.yaml]
    python benchmarks/form_tuning.py pool DIR [DIR2 ...] [--exercise E] [--exercises trial.yaml] [--poses poses_c02] [--save F]
    python benchmarks/form_tuning.py replay F [F2 ...] [--exercise E] [--exercises trial.yaml] [--fa]

``table`` replays the cached poses of every set through a tracker (as ``eval`` does),
matches counted reps to truth reps, and prints per rep the values every form rule looks
at (start / turn / extremes over the rep) with the truth faults and the issues found, so
a rule's threshold can be chosen where faulty and clean reps separate, per view.
``rule`` replays the sets as ``eval`` does (same set windows, same counted reps) and prints,
for one rule, exactly the values its ``when`` / ``judge_if`` saw on every rep that had that
fault or no fault (``throughout`` rules: each name's lowest and highest frame), with the
verdict, per view, then found / unjudged / false alarms summed over all the sets: choose a
threshold on the pooled distribution, with a margin, never on one set.
``pool`` scores the form checker over several sets as ``eval`` does in given mode (same set
windows, same matching; no auto mode, so ~1 min for seven sets): fault recall, judged recall,
false alarms per clean rep, pooled, per set and per exercise - a rule must hold on every set
alone, not only pooled - and the faults not found by exercise / fault / view and why
(missed, unjudged: the view hid it, uncounted: the counter missed the rep).
``pool ... --save FILE`` also records what every rule saw on every rep (per phase, the offline
review's view of the early reps, the movement's frames), and ``replay FILE [FILE2 ...]
[--exercises trial.yaml] [--fa]`` prints the same report judged by the current (or trial) rules
in seconds, without tracking again (the counting stays the recording's; a ``usual_clean`` rule's
own usual is recorded only for the rules marked so when recording). Record both pose
realisations (``--poses poses`` and ``--poses poses_c02``) and keep a rule change only where
it holds on both.
``--ideal`` uses the truth skeletons instead of the pose model (does the synth draw the
fault, and does the rule see it on perfect joints?). Tune on tuning sets only, never on
the held-out set.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED0 = 20000
VIEWS = (("front", 0), ("side", 0), ("front", 1), ("side", 1), ("45", 0))


def build(directory: Path, fps: float = 15.0, seed0: int = SEED0, exercises: list[str] | None = None) -> None:
    """One clip per (exercise, view, body): 7 reps, faults on ~60% of them, all side modes in turn."""
    from deepfit_coach.synth import EXERCISES, EXERCISES_ORDER, ClipSpec, write_clip
    from deepfit_coach.synth.truth import truth_path

    directory.mkdir(parents=True, exist_ok=True)
    n = 0
    for ex in EXERCISES_ORDER:
        for k, (view, b) in enumerate(VIEWS):
            n += 1
            if exercises and ex not in exercises:
                continue
            sides = EXERCISES[ex].sides
            side = sides[k % len(sides)]
            out = directory / f"{ex}_{view}_{b}.mp4"
            if out.exists() and truth_path(out).exists():
                continue
            spec = ClipSpec(exercise=ex, reps=7, view=view, seed=seed0 + n, fps=fps, side=side, fault_prob=0.6,
                            tempo=(0.85, 1.2)[k % 2], rest_before=1.5, rest_after=1.0, rest_kind="standing")
            write_clip(spec, out)
            print("rendered", out.name, file=sys.stderr)


def rep_rows(directory: Path, exercise: str | None = None, ideal: bool = False, extra: list[str] | None = None,
             poses_dir: str = "poses_rec") -> list[dict]:
    """Per matched truth rep: exercise, view, side, truth faults, issues, and rule inputs."""
    from deepfit_coach.analysis import load_poses
    from deepfit_coach.counting import ExerciseTracker
    from deepfit_coach.evaluation import SET_PAD_S, _match, find_videos
    from deepfit_coach.exercises import load_catalogue
    from deepfit_coach.synth.truth import Truth

    cat = load_catalogue(extra or None, replace_builtins=True)
    rows = []
    for video, tpath in find_videos(directory):
        truth = Truth.load(tpath)
        if not truth.sets or (exercise and truth.sets[0]["exercise"] != exercise):
            continue
        if ideal:
            skels = [truth.skeleton(i) for i in range(truth.frame_count)]
            times = [i / truth.fps for i in range(truth.frame_count)]
        else:
            cache = directory / poses_dir / (video.stem + ".poses.jsonl")
            if not cache.exists():
                continue  # never run the pose model here: `eval --cache` makes the caches once
            poses = load_poses(cache)   # the cache as made (with or without the pose recovery)
            skels, times = poses.skeletons, poses.times
        fps = truth.fps
        spec_d = json.loads(tpath.read_text())["spec"]
        view = spec_d.get("view", "?")
        for k, st in enumerate(truth.sets):
            spec = cat.get(st["exercise"])
            lo = max(0.0, st["start_frame"] / fps - SET_PAD_S)
            hi = st["end_frame"] / fps + SET_PAD_S
            tr = ExerciseTracker(spec)
            snaps = _Recorder(tr)
            for s, t in zip(skels, times):
                if lo <= t <= hi:
                    snaps.update(s, t)
            t_reps = [r for r in truth.reps if st["start_frame"] <= r.start_frame <= st["end_frame"]]
            for tr_rep, pr in _match(tr.rep_log, t_reps, fps):
                row = {"video": f"{directory.name}/{video.stem}", "exercise": spec.name, "view": view, "side": tr_rep.side,
                       "set_side": spec_d.get("side"), "rep": tr_rep.index, "faults": list(tr_rep.faults),
                       "issues": list(pr.issues) if pr else None, "values": snaps.per_rep.get(id(pr), {})}
                rows.append(row)
    return rows


class _Recorder:
    """Drives a tracker and keeps, per counted rep, the values its rules saw."""

    def __init__(self, tracker) -> None:
        self.tr = tracker
        self.per_rep: dict[int, dict] = {}
        self._frames: list[dict] = []

    def update(self, skel, t: float) -> None:
        tr = self.tr
        n_before = len(tr.rep_log)
        tr.update(skel, t)
        self._frames.append(dict(tr._values))
        if len(tr.rep_log) > n_before:
            rep = tr.rep_log[-1]
            start = tr._rep_start_snap
            turn = tr._turn_snap
            vals = {}
            for k in turn:
                vals[f"{k}@start"] = start.get(k, math.nan)
                vals[f"{k}@turn"] = turn.get(k, math.nan)
                vals[f"{k}@max"] = tr._rep_max.get(k, math.nan)
                vals[f"{k}@min"] = tr._rep_min.get(k, math.nan)
            vals["rom"] = rep.rom_deg
            self.per_rep[id(rep)] = vals


def table(dirs: list[Path], exercise: str | None, ideal: bool, keys: list[str] | None,
          extra: list[str] | None = None, poses_dir: str = "poses_rec") -> None:
    rows = [r for d in dirs for r in rep_rows(d, exercise, ideal, extra, poses_dir)]
    by_ex: dict[str, list[dict]] = {}
    for r in rows:
        by_ex.setdefault(r["exercise"], []).append(r)
    for ex, rs in by_ex.items():
        names = keys or sorted({k for r in rs for k in r["values"]})
        print(f"\n=== {ex}")
        print("clip                      side   rep faults -> issues | " + " ".join(f"{n[:14]:>14}" for n in names))
        for r in sorted(rs, key=lambda r: (r["view"], r["video"], r["rep"])):
            v = r["values"]
            print(f"{r['video'][-25:]:25} {str(r['side'])[:5]:5} {r['rep']:3} {','.join(r['faults']) or '-':18} -> "
                  f"{','.join(r['issues'] or []) if r['issues'] is not None else 'MISSED':18} | "
                  + " ".join(f"{v.get(n, math.nan):14.3f}" for n in names))
        faults = sorted({f for r in rs for f in r["faults"]})
        for f in faults:
            fr = [r for r in rs if f in r["faults"]]
            found = sum(1 for r in fr if r["issues"] and f in r["issues"])
            print(f"  {f}: {found}/{len(fr)}")
        clean = [r for r in rs if not r["faults"]]
        fa = sum(len(r["issues"] or []) for r in clean)
        print(f"  false alarms: {fa}/{len(clean)} clean reps")


def rule_rows(directory: Path, exercise: str, rule_name: str, extra: list[str] | None = None,
              poses_dir: str = "poses_rec") -> list[dict]:
    """Per truth rep of ``exercise`` (faulty with ``rule_name`` or clean): what the rule saw."""
    from deepfit_coach.analysis import load_poses, track_segment
    from deepfit_coach.counting.form import FormChecker
    from deepfit_coach.counting.tracker import ExerciseTracker
    from deepfit_coach.evaluation import find_videos, match_reps, set_window
    from deepfit_coach.exercises import load_catalogue
    from deepfit_coach.synth.truth import Truth

    spec = load_catalogue(extra or None, replace_builtins=True).get(exercise)
    rule = next((r for r in spec.form if r.name == rule_name), None)
    if rule is None:
        raise SystemExit(f"{exercise} has no form rule {rule_name!r} ({', '.join(r.name for r in spec.form)})")
    names = sorted(rule.when.names() | (rule.judge_if.names() if rule.judge_if else set()))
    frames: list[dict] = []
    orig_during, orig_begin, orig_complete = FormChecker.during, FormChecker.begin_rep, ExerciseTracker._complete

    def during(self, values, t_s, dt):
        frames.append({n: values.get(n, math.nan) for n in names})
        return orig_during(self, values, t_s, dt)

    def begin_rep(self):   # a rep starts, ends or is dropped: its frames are done
        frames.clear()
        orig_begin(self)

    def complete(self, cycle, values, t_s, out, recovered=False):
        before = len(self.rep_log) + len(self.partial_log)
        self.form.last_seen = {}
        moving = list(frames)
        orig_complete(self, cycle, values, t_s, out, recovered)
        if len(self.rep_log) + len(self.partial_log) > before:
            info = max(self.rep_log + self.partial_log, key=lambda r: r.end_s)
            if rule.phase == "throughout":   # each name's lowest and highest frame of the movement
                info.probe = {f"{n}@{f.__name__}": f([x[n] for x in moving if x[n] == x[n]] or [math.nan])
                              for n in names for f in (min, max)}
            else:
                seen = self.form.last_seen.get(rule.phase, {})
                info.probe = {n: seen.get(n, math.nan) for n in names}

    rows = []
    FormChecker.during, FormChecker.begin_rep, ExerciseTracker._complete = during, begin_rep, complete
    try:
        for video, tpath in find_videos(directory):
            truth = Truth.load(tpath)
            cache = directory / poses_dir / (video.stem + ".poses.jsonl")
            if not truth.sets or truth.sets[0]["exercise"] != exercise or not cache.exists():
                continue  # never run the pose model here: `eval --cache` makes the caches once
            poses = load_poses(cache)   # the cache as made (with or without the pose recovery)
            fps, t_end = truth.fps, (poses.times[-1] if poses.times else 0.0)
            view = json.loads(tpath.read_text())["spec"].get("view", "?")
            for k, st in enumerate(truth.sets):
                lo, hi = set_window(truth.sets, k, fps, t_end)   # the set windows eval uses
                seg = track_segment(spec, poses.skeletons, poses.times, lo, hi)
                t_reps = [r for r in truth.reps if st["start_frame"] <= r.start_frame <= st["end_frame"]]
                for tr, pr in match_reps(seg.reps, seg.partial, t_reps, fps):
                    if tr.faults and rule_name not in tr.faults:
                        continue
                    verdict = None if pr is None else ("fired" if rule_name in pr.issues else
                                                       "unjudged" if rule_name in pr.unjudged else "-")
                    if pr is not None and pr.partial and verdict != "fired":
                        verdict = "partial"   # eval: an uncounted rep (missed) unless it carries the fault
                    rows.append({"video": f"{directory.name}/{video.stem}", "view": view, "faulty": bool(tr.faults),
                                 "verdict": verdict, "values": getattr(pr, "probe", {}) if pr else {}})
    finally:
        FormChecker.during, FormChecker.begin_rep, ExerciseTracker._complete = orig_during, orig_begin, orig_complete
    return rows


def rule_table(dirs: list[Path], exercise: str, rule_name: str, extra: list[str] | None = None,
               poses_dirs: tuple[str, ...] = ("poses_rec",)) -> None:
    rows = [{**r, "video": f"{p[6:] or 'c05'}:{r['video']}" if len(poses_dirs) > 1 else r["video"]}
            for p in poses_dirs for d in dirs for r in rule_rows(d, exercise, rule_name, extra, p)]
    keys = sorted({k for r in rows for k in r["values"]})
    print(f"{'clip':34} {'view':5} truth  verdict  | " + " ".join(f"{k[:16]:>16}" for k in keys))
    for r in sorted(rows, key=lambda r: (r["view"], r["values"].get(keys[0], math.nan) if keys else 0)):
        print(f"{r['video'][-34:]:34} {r['view']:5} {'FAULT' if r['faulty'] else 'clean':6} {str(r['verdict']):8} | "
              + " ".join(f"{r['values'].get(k, math.nan):16.3f}" for k in keys))
    faulty = [r for r in rows if r["faulty"]]
    clean = [r for r in rows if not r["faulty"]]
    n = {v: sum(1 for r in faulty if r["verdict"] == v) for v in ("fired", "unjudged", None, "partial")}
    print(f"{exercise}/{rule_name} over {len(dirs)} sets: found {n['fired']}/{len(faulty)}, unjudged {n['unjudged']}, "
          f"uncounted {n[None] + n['partial']} ({n['partial']} partial); false alarms {sum(1 for r in clean if r['verdict'] == 'fired')}/{len(clean)} clean reps")


class FormRecorder:
    """While active, keeps per judged rep everything the form rules could see, keyed by the rep's
    issues list (the list ``FormChecker.finish`` returns and the tracker's RepInfo keeps): the
    start / turn / rep values (``last_seen``), the offline review's values for the set's early reps,
    and the frames of the movement the ``throughout`` rules saw. ``replay_issues`` then judges a rep
    with any rules from this record alone, exactly as the checker would have (no re-tracking)."""

    def __init__(self) -> None:
        self.reps: dict[int, dict] = {}
        self._keep: list[list[str]] = []   # the issues lists, so their ids stay unique
        self._frames: list[tuple[dict, float]] = []

    def __enter__(self) -> "FormRecorder":
        from deepfit_coach.counting.form import FormChecker

        self._orig = (FormChecker.during, FormChecker.begin_rep, FormChecker.finish, FormChecker.review)
        o_during, o_begin, o_finish, o_review = self._orig
        rec = self

        def during(fc, values, t_s, dt):
            rec._frames.append((dict(values), dt))
            return o_during(fc, values, t_s, dt)

        def begin_rep(fc):
            rec._frames.clear()
            o_begin(fc)

        def finish(fc, start, turn, rep_values, t_s, full, ref=None, own=True):
            frames = list(rec._frames)
            issues, events = o_finish(fc, start, turn, rep_values, t_s, full, ref, own)
            keys = sorted({k for f, _ in frames for k in f})
            rec.reps[id(issues)] = {
                "seen": {p: dict(v) for p, v in fc.last_seen.items()}, "review": None, "t": t_s, "keys": keys,
                "own": own,   # False: the landmarker did not see the rep well enough, only throughout rules judged
                "seen_for": {f: {p: dict(v) for p, v in ph.items()} for f, ph in fc.last_seen_for.items()},
                "review_for": {},
                "frames": np.array([[f.get(k, math.nan) for k in keys] for f, _ in frames],
                                   np.float32).reshape(len(frames), len(keys)),
                "dt": np.array([d for _, d in frames], np.float32)}
            rec._keep.append(issues)
            return issues, events

        def review(fc):
            for k, seen in fc.review_views().items():
                if id(fc._records[k].issues) in rec.reps:
                    rec.reps[id(fc._records[k].issues)]["review"] = seen
            for r in fc.spec.form:
                if r.usual_clean or r.usual_good:
                    for k, seen in fc.review_views(r.name if r.usual_clean else None, r.usual_good).items():
                        if id(fc._records[k].issues) in rec.reps:
                            rec.reps[id(fc._records[k].issues)]["review_for"][r.name] = seen
            return o_review(fc)

        FormChecker.during, FormChecker.begin_rep, FormChecker.finish, FormChecker.review = \
            during, begin_rep, finish, review
        return self

    def __exit__(self, *exc) -> None:
        from deepfit_coach.counting.form import FormChecker

        FormChecker.during, FormChecker.begin_rep, FormChecker.finish, FormChecker.review = self._orig

    def parts(self, rep) -> list[dict] | str:
        """The judged rep(s) a final rep is made of: itself, or (joined by the set's review) the
        raw reps that ended within it; [] where joining fragments cleared its issues."""
        if id(rep.issues) in self.reps:
            return [self.reps[id(rep.issues)]]
        if not rep.issues:
            return []
        return [r for r in self.reps.values() if rep.start_s < r["t"] <= rep.end_s + 1e-6] or "JOIN"


def replay_issues(spec, rep: dict) -> tuple[list[str], list[str]]:
    """(issues, unjudged) of one recorded rep under ``spec``'s form rules, as FormChecker.during /
    finish / review would have said them."""
    current: list[str] = []
    judged: set[str] = set()
    frames, keys, dt = rep["frames"], rep["keys"], rep["dt"]
    through = [r for r in spec.form if r.phase == "throughout"]
    held: dict[str, float] = {}
    for i in range(len(frames) if through else 0):
        values = dict(zip(keys, frames[i].tolist()))
        for rule in through:
            if rule.name in current:
                continue
            if rule.judge_if is not None:
                if not rule.judge_if(values):
                    held[rule.name] = 0.0
                    continue
                judged.add(rule.name)
            if rule.when(values):
                held[rule.name] = held.get(rule.name, 0.0) + float(dt[i])
                if held[rule.name] >= rule.hold_s:
                    current.append(rule.name)
            else:
                held[rule.name] = 0.0
    unjudged = [r.name for r in through if r.judge_if is not None and r.name not in judged and r.name not in current]
    judged |= {r.name for r in through if r.judge_if is None}
    if not rep.get("own", True):   # as FormChecker.finish(own=False): only the throughout rules judged
        unjudged = [n for n in dict.fromkeys(r.name for r in spec.form) if n not in judged and n not in current]
        return list(dict.fromkeys(r.name for r in spec.form if r.name in current)), unjudged
    for rule in spec.form:
        if rule.name in current or rule.phase not in rep["seen"]:
            continue
        values = (rep.get("seen_for", {}).get(rule.name, rep["seen"]) if rule.usual_clean or rule.usual_good
                  else rep["seen"])[rule.phase]
        if rule.judge_if is not None and not rule.judge_if(values):
            unjudged.append(rule.name)
            continue
        judged.add(rule.name)
        if rule.when(values):
            current.append(rule.name)
    unjudged = [n for n in dict.fromkeys(unjudged) if n not in judged and n not in current]
    issues = list(dict.fromkeys(r.name for r in spec.form if r.name in current))
    for rule in spec.form if rep["review"] is not None else ():
        if rule.phase not in ("start", "turn", "rep") or not any(n.endswith("_dev") for n in rule.when.names()):
            continue
        values = (rep.get("review_for", {}).get(rule.name, rep["review"]) if rule.usual_clean or rule.usual_good
                  else rep["review"]).get(rule.phase)
        if values is None or rule.name in issues or (rule.judge_if is not None and not rule.judge_if(values)):
            continue
        if rule.when(values):
            issues.append(rule.name)
    return issues, unjudged


def replay_rows(rows: list[dict], cat) -> list[dict]:
    """``pool`` rows recorded with their reps' values, judged again by ``cat``'s form rules."""
    out = []
    for row in rows:
        row = dict(row)
        if row["issues"] is not None and row["parts"] != "JOIN":
            spec = cat.get(row["exercise"])
            judged = [replay_issues(spec, p) for p in row["parts"]]
            row["issues"] = list(dict.fromkeys(i for iss, _ in judged for i in iss))
            if len(judged) == 1:
                row["unjudged"] = judged[0][1]
        out.append(row)
    return out


def pool_rows(directory: Path, exercise: str | None = None, extra: list[str] | None = None,
              poses_dir: str = "poses_rec", record: bool = False) -> list[dict]:
    """Per truth rep of every set (given mode, as ``eval``): its faults and what the checker said;
    ``record``: also what its rules saw (``parts``, for ``replay``)."""
    from contextlib import nullcontext

    from deepfit_coach.analysis import load_poses, track_segment
    from deepfit_coach.evaluation import find_videos, match_reps, set_window
    from deepfit_coach.exercises import load_catalogue
    from deepfit_coach.synth.truth import Truth

    cat = load_catalogue(extra or None, replace_builtins=True)
    rows = []
    for video, tpath in find_videos(directory):
        truth = Truth.load(tpath)
        cache = directory / poses_dir / (video.stem + ".poses.jsonl")
        if not truth.sets or not cache.exists() or (exercise and truth.sets[0]["exercise"] != exercise):
            continue  # never run the pose model here: `eval --cache` makes the caches once
        poses = load_poses(cache)   # the cache as made (with or without the pose recovery)
        fps, t_end = truth.fps, (poses.times[-1] if poses.times else 0.0)
        view = json.loads(tpath.read_text())["spec"].get("view", "?")
        for k, st in enumerate(truth.sets):
            lo, hi = set_window(truth.sets, k, fps, t_end)
            with FormRecorder() if record else nullcontext() as rec:
                seg = track_segment(cat.get(st["exercise"]), poses.skeletons, poses.times, lo, hi)
            t_reps = [r for r in truth.reps if st["start_frame"] <= r.start_frame <= st["end_frame"]]
            for tr, pr in match_reps(seg.reps, seg.partial, t_reps, fps):
                rows.append({"set": directory.name, "video": video.stem, "exercise": st["exercise"], "view": view,
                             "faults": list(tr.faults), "issues": None if pr is None else list(pr.issues),
                             "unjudged": [] if pr is None else list(pr.unjudged),
                             "counted": pr is not None and not pr.partial,
                             **({"parts": [] if pr is None else rec.parts(pr)} if record else {})})
    return rows


def _verdict(row: dict, fault: str) -> str:
    if row["issues"] is not None and fault in row["issues"]:
        return "found"
    if row["counted"] and fault in row["unjudged"]:
        return "unjudged"
    return "missed" if row["counted"] else "uncounted"


def pool_table(dirs: list[Path], exercise: str | None, extra: list[str] | None = None,
               poses_dir: str = "poses_rec", save: Path | None = None) -> None:
    rows = [r for d in dirs for r in pool_rows(d, exercise, extra, poses_dir, record=save is not None)]
    if save is not None:
        import pickle

        save.write_bytes(pickle.dumps(rows))
        print(f"recorded {len(rows)} reps to {save} (python benchmarks/form_tuning.py replay {save})", file=sys.stderr)
    pool_report(rows, [d.name for d in dirs])


def replay_table(files: list[Path], exercise: str | None, extra: list[str] | None = None, show_fa: bool = False) -> None:
    """``pool``'s report from recordings (``pool ... --save FILE``), judged by the current (or
    trial) rules: a threshold change scored on the whole pool in seconds. The counting is the
    recording's: re-record after a counting change."""
    import pickle

    from deepfit_coach.exercises import load_catalogue

    cat = load_catalogue(extra or None, replace_builtins=True)
    for f in files:
        rows = [r for r in pickle.loads(f.read_bytes()) if not exercise or r["exercise"] == exercise]
        if rows and "parts" not in rows[0]:
            raise SystemExit(f"{f} holds no rule values: record it with pool ... --save {f}")
        rows = replay_rows(rows, cat)
        print(f"== {f}")
        pool_report(rows, list(dict.fromkeys(r["set"] for r in rows)))
        for r in rows if show_fa else ():
            if not r["faults"] and r["issues"]:
                print(f"  false alarm: {r['set']} {r['video']} {', '.join(r['issues'])}")


def pool_report(rows: list[dict], set_names: list[str]) -> None:
    def line(name: str, rs: list[dict]) -> None:
        v = [_verdict(r, f) for r in rs for f in r["faults"]]
        n, found, unj = len(v), v.count("found"), v.count("unjudged")
        clean = [r for r in rs if not r["faults"]]
        fa = sum(len(r["issues"] or []) for r in clean)
        print(f"{name:26} recall {found:4}/{n:4} = {found / max(n, 1):.3f}  judged {found / max(n - unj, 1):.3f} "
              f"(unjudged {unj:3}, uncounted {v.count('uncounted'):3})  false alarms {fa:3}/{len(clean):4} = "
              f"{fa / max(len(clean), 1):.4f}")

    line("POOLED", rows)
    for name in set_names:
        line(name, [r for r in rows if r["set"] == name])
    for ex in sorted({r["exercise"] for r in rows}):
        line(ex, [r for r in rows if r["exercise"] == ex])
    left: dict[tuple[str, str, str, str], int] = {}
    for r in rows:
        for f in r["faults"]:
            if (why := _verdict(r, f)) != "found":
                key = (r["exercise"], f, r["view"], why)
                left[key] = left.get(key, 0) + 1
    print("\nnot found (exercise, fault, view, why):")
    for key, n in sorted(left.items(), key=lambda x: -x[1]):
        print(f"  {n:3}  " + "  ".join(key))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=("build", "table", "rule", "pool", "replay"))
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--exercise")
    ap.add_argument("--ideal", action="store_true")
    ap.add_argument("--exercises", action="append", help="YAML file overriding catalogue exercises (trial rules)")
    ap.add_argument("--keys", help="comma-separated value names to show (e.g. torso@turn,torso@start)")
    ap.add_argument("--rule", help="rule: the form rule to show")
    ap.add_argument("--poses", default="poses_rec",
                    help="pose caches to read, DIR/NAME (poses_rec: confidences 0.5 with the pose recovery, what "
                         "eval_rendered.py makes and eval reads; poses: 0.5 without it; poses_c02: 0.2); rule: a comma "
                         "list shows every realisation (clips prefixed c05: / _c02:)")
    ap.add_argument("--save", type=Path, help="pool: also record what every rule saw on every rep (for replay)")
    ap.add_argument("--fa", action="store_true", help="replay: list the false alarms")
    a = ap.parse_args()
    if a.cmd == "build":
        build(a.dirs[0], exercises=[a.exercise] if a.exercise else None)
    elif a.cmd == "rule":
        if not (a.exercise and a.rule):
            ap.error("rule needs --exercise and --rule")
        rule_table(a.dirs, a.exercise, a.rule, a.exercises, tuple(a.poses.split(",")))
    elif a.cmd == "pool":
        pool_table(a.dirs, a.exercise, a.exercises, a.poses, a.save)
    elif a.cmd == "replay":
        replay_table(a.dirs, a.exercise, a.exercises, a.fa)
    else:
        table(a.dirs, a.exercise, a.ideal, a.keys.split(",") if a.keys else None, a.exercises, a.poses)


if __name__ == "__main__":
    main()
