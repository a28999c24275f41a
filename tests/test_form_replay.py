"""benchmarks/form_tuning.py replay: reps recorded under one set of form rules, judged again by
other rules from the record alone, must get exactly what a live FormChecker with those other
rules says (throughout holds and view gates, phase rules, the offline review of early reps)."""

import dataclasses
import random
import sys
from pathlib import Path

from deepfit_coach.counting.form import FormChecker
from deepfit_coach.exercises import load_catalogue
from deepfit_coach.exercises.conditions import parse_condition

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import form_tuning  # noqa: E402

NAMES = ("torso_len", "torso_tilt", "facing", "wrist_up_img", "elbow")


def _other_rules(spec):
    """The shipped press rules with other thresholds and a view gate on the held one."""
    new = {("arched_back", "throughout"): ("torso_len_change < -0.05 and facing > 0.3", "facing > 0.4"),
           ("arched_back", "rep"): ("torso_len_med_dev < -0.03", "facing_max > 0.4"),
           ("incomplete_lockout", "turn"): ("wrist_up_img_max < 0.97 or wrist_up_img_dev < -0.05", None)}
    form = []
    for r in spec.form:
        when, gate = new.get((r.name, r.phase), (None, None))
        form.append(dataclasses.replace(r, when=parse_condition(when), judge_if=parse_condition(gate) if gate else None)
                    if when else r)
    return dataclasses.replace(spec, form=type(spec.form)(form))


def _drive(spec, seed: int) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    """Ten random reps through a checker: (issues as finish returned them, copies before review,
    unjudged per rep)."""
    rng = random.Random(seed)
    fc = FormChecker(spec)
    fc.reset()
    issues, before, unjudged, t = [], [], [], 0.0

    def frame() -> dict[str, float]:
        return {"torso_len": 1 + rng.gauss(0, 0.06), "torso_tilt": rng.gauss(0, 5), "facing": view + rng.gauss(0, 0.05),
                "wrist_up_img": rng.uniform(0.8, 1.1), "elbow": rng.uniform(125, 178)}

    for _ in range(10):
        view = rng.choice((0.2, 0.6))   # side-on or facing the camera, this rep
        start = frame()
        fc.begin_rep()
        frames = [frame() for _ in range(rng.randint(4, 12))]
        for v in frames:
            t += 0.1
            fc.during(fc.with_changes(v, start), t, 0.1)
        rep_values = {"rom": 1.0, "relative_rom": rng.uniform(0.5, 1.2),
                      **{n + "_max": max(f[n] for f in frames) for n in NAMES},
                      **{n + "_min": min(f[n] for f in frames) for n in NAMES}}
        own = rng.random() > 0.2   # False: the landmarker saw too little of the rep (pose recovery)
        got, _ = fc.finish(start, frames[len(frames) // 2], rep_values, t, rng.random() > 0.15, ref=start, own=own)
        issues.append(got)
        before.append(list(got))
        unjudged.append(list(fc.last_unjudged))
    fc.review()
    return issues, before, unjudged


def test_replay_judges_recorded_reps_as_a_live_checker_with_the_other_rules():
    shipped = load_catalogue().get("dumbbell_shoulder_press")
    other = _other_rules(shipped)
    fired = reviewed = gated = 0
    for seed in range(6):
        with form_tuning.FormRecorder() as rec:
            recorded, _, _ = _drive(shipped, seed)
        live, before, unjudged = _drive(other, seed)
        for k, (iss, want, want_unj) in enumerate(zip(recorded, live, unjudged)):
            got, got_unj = form_tuning.replay_issues(other, rec.reps[id(iss)])
            assert (got, got_unj) == (want, want_unj), (seed, k)
            fired += bool(want)
            reviewed += want != before[k]
            gated += bool(want_unj)
    # every path was exercised: faults found, faults the offline review added, reps the view gate hid
    assert fired and reviewed and gated
