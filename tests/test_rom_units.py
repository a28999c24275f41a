"""Range of motion is shown in the unit it was measured in: degrees only for angles."""

from __future__ import annotations

import yaml

from deepfit_coach.exercises import load_catalogue
from deepfit_coach.exercises.rom import DEGREE_KINDS, fmt_rom, rom_unit, signal_unit, spec_rom_unit
from deepfit_coach.events import RepInfo
from deepfit_coach.exercises.spec import SignalSpec
from deepfit_coach.history import HistoryStore
from deepfit_coach.history.records import RepRecord, SessionRecord, SetRecord
from deepfit_coach.history.trends import compute_progress
from deepfit_coach.report import build_report, render_text


def test_each_builtin_exercise_has_the_unit_of_its_counting_signal():
    cat = load_catalogue()
    for name in cat.names():
        spec = cat.get(name)
        unit = rom_unit(name)
        sig, signals = spec.counting.signal, spec.all_signals()
        angle = sig.kind in DEGREE_KINDS or (   # or a difference of two angles (squats' depth)
            sig.kind == "difference" and all(signals[p].kind in DEGREE_KINDS for p in sig.points))
        assert (unit == "°") == angle, name
        if spec.counting.signal.per is not None:
            assert unit.startswith("× "), name   # a distance per body segment
    assert rom_unit("pushups") == "× torso" and rom_unit("bicep_curls") == "°"
    assert rom_unit("squats") == "°"   # knee and hip angles (until stop 24 the hips' drop per shin)
    assert rom_unit("no_such_exercise") is None


def test_formatting():
    assert fmt_rom("bicep_curls", 91.6) == "92°"
    assert fmt_rom("pushups", 1.046) == "1.05× torso"
    assert fmt_rom("squats", 104.6) == "105°"
    assert fmt_rom("no_such_exercise", 0.5) == "0.50"
    assert fmt_rom("squats", None) == "–"


def test_a_custom_exercise_gets_its_own_signals_unit():
    doc = yaml.safe_load("""
name: wall_sit_taps
signals:
  knee: {angle: ["{side}_hip", "{side}_knee", "{side}_ankle"], source: world}
counting: {signal: knee, start: 170, turn: 90, start_gate: 150, turn_gate: 110, min_rom: 40, rep_duration: [0.5, 8]}
""")
    spec = load_catalogue(doc).get("wall_sit_taps")
    assert spec_rom_unit(spec) == "°"
    width = SignalSpec("w", "distance", ("left_wrist", "right_wrist"), per=("left_hip", "right_hip"))
    assert signal_unit(width, {}) == "× hip width"
    assert fmt_rom("wall_sit_taps", 1.5, signal_unit(width, {})) == "1.50× hip width"


def test_the_session_report_never_puts_a_degree_sign_on_body_lengths(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPFIT_HOME", str(tmp_path))
    plan = [{"block_index": 0, "exercise": "pushups", "sets": 1, "reps": 2},
            {"block_index": 1, "exercise": "bicep_curls", "sets": 1, "reps": 2}]
    with HistoryStore.open() as store:
        sid = store.start_session("p", planned=plan)
        for block, (ex, rom) in enumerate((("pushups", 1.046), ("bicep_curls", 91.6))):
            set_id = store.start_set(sid, block, ex, 1, target_reps=2)
            for i in range(2):
                store.add_rep(set_id, RepInfo(i + 1, 3.0 * i, 3.0 * i + 2, "both", rom, 1.0, 1.0))
            store.end_set(set_id, 2, 0)
        store.end_session(sid, "complete")
        text = render_text(build_report(store, sid))
    assert "ROM 1.05× torso" in text and "ROM 92°" in text and "1°" not in text


def _sessions(rows: list[tuple[str, float]]) -> list[SessionRecord]:
    s = SessionRecord(1, "p", None, None, "2026-11-02T10:00:00+00:00", "2026-11-02T10:30:00+00:00", "complete")
    for k, (ex, rom) in enumerate(rows):
        reps = [RepRecord(i, i + 1, 0.0, 1.0, "both", rom, 0.5, 0.5, [], False) for i in range(3)]
        s.sets.append(SetRecord(100 + k, 1, 0, ex, k + 1, 3, None, 3, 0, s.started_at, s.started_at, None,
                                rep_list=reps))
    return [s]


def test_weekly_ranges_are_of_one_exercise_only():
    mixed = compute_progress(_sessions([("bicep_curls", 100.0), ("pushups", 1.0)]))
    assert all(w.avg_rom_deg is None for w in mixed.weeks) and mixed.rom_exercise is None
    assert {t.exercise: t.avg_rom_deg for t in mixed.totals} == {"bicep_curls": 100.0, "pushups": 1.0}
    one = compute_progress(_sessions([("bicep_curls", 100.0), ("pushups", 1.0)]), "pushups")
    assert [w.avg_rom_deg for w in one.weeks] == [1.0] and one.to_dict()["rom_unit"] == "× torso"


def test_a_set_counted_on_the_counting_variant_names_its_unit():
    """Rows facing the camera are counted on the elbow's rise in the picture per upper-body size
    (shoulder width and torso length), side-on on the hand's drop per torso length."""
    spec = load_catalogue().get("dumbbell_rows")
    assert spec_rom_unit(spec) == spec_rom_unit(spec, "wrist_drop") == "× torso"
    assert spec_rom_unit(spec, "elbow_rise") == "× upper body"
    assert spec_rom_unit(spec, "no_such_signal") == "× torso"
