"""A custom exercise whose thresholds no body can reach, or whose rules name a value their phase never
measures, is an error at load time with its file:line (it loaded and then never counted or never fired)."""

from __future__ import annotations

import pytest

from deepfit_coach.exercises import get_exercise, load_exercise_file
from deepfit_coach.exercises.ranges import phase_names
from deepfit_coach.yamlfile import YamlValidationError
from stored_poses import clip, load

BASE = """\
name: wall_sits
signals:
  knee: {angle: ["{side}_hip", "{side}_knee", "{side}_ankle"], source: world, side: both}
  feet: {presence: [left_ankle, right_ankle]}
  torso: {incline: [mid_shoulder, mid_hip], source: world}
  depth: {difference: [knee, torso], weights: [1, 2]}
counting: {signal: knee, start: 170, turn: 90, min_rom: 30}
position: ["feet > 0.5"]
form:
  - {name: too_high, at: bottom, when: knee > 120, cue: Sit lower}
"""


def _errors(tmp_path, text: str) -> str:
    p = tmp_path / "ex.yaml"
    p.write_text(text)
    with pytest.raises(YamlValidationError) as err:
        load_exercise_file(p)
    return str(err.value).replace(f"{p}:", "")


def test_the_base_file_loads(tmp_path):
    p = tmp_path / "ex.yaml"
    p.write_text(BASE)
    assert load_exercise_file(p)[0].counting.min_rom == 30


@pytest.mark.parametrize("old, new, message", [
    ("start: 170", "start: 200", "7:33: start 200 can never be reached: angle signal 'knee' reads 0 to 180 degrees"),
    ("min_rom: 30", "min_rom: 300",
     "7:57: min_rom 300 is more than the signal can move: angle signal 'knee' reads 0 to 180 degrees"),
    ("min_rom: 30", "min_rom: 90",
     "7:57: min_rom 90 is more than a rep from start (170) to turn (90) moves: even a textbook rep would not count"),
    ("feet > 0.5", "feet > 5", "8:12: 'feet > 5' can never hold: presence signal 'feet' reads 0 to 1"),
    ("knee > 120", "knee >= 181", "10:40: 'knee >= 181' can never hold: angle signal 'knee' reads 0 to 180 degrees"),
    ("knee > 120", "120 < knee and 0 > knee", "10:40: 'knee < 0' can never hold"),
])
def test_a_value_the_signal_cannot_read_is_an_error_at_its_line(tmp_path, old, new, message):
    assert message in _errors(tmp_path, BASE.replace(old, new))


def test_a_difference_reads_the_range_its_weights_give(tmp_path):
    # knee - 2 x torso: 0 - 360 .. 180 - 0
    text = BASE.replace("knee > 120", "depth < -361")
    assert "'depth < -361' can never hold: difference signal 'depth' reads -360 to 180" in _errors(tmp_path, text)
    p = tmp_path / "ok.yaml"
    p.write_text(BASE.replace("knee > 120", "depth < -359 or knee_change > 179 or knee_span < 0.5"))
    assert load_exercise_file(p)


def test_automatic_names_read_the_signals_range(tmp_path):
    text = BASE.replace("knee > 120", "knee_change > 200 or knee_span > 181 or knee_max_dev < -190")
    out = _errors(tmp_path, text)
    assert "'knee_change > 200' can never hold: 'knee_change' reads -180 to 180" in out
    assert "'knee_span > 181' can never hold: 'knee_span' reads 0 to 180" in out
    assert "'knee_max_dev < -190' can never hold: 'knee_max_dev' reads -180 to 180" in out


@pytest.mark.parametrize("rule, message", [
    ("{name: r, at: throughout, when: knee_med > 120, cue: c}",
     "condition uses 'knee_med', which is never measured there (a throughout rule sees each signal as it is, "
     "NAME_change and NAME_start); 'knee_med' is known in start, turn and rep rules"),
    ("{name: r, at: rep, when: torso > 40, cue: c}",
     "condition uses 'torso', which is never measured there (a rep rule sees the rep's values"),
    ("{name: r, at: top, when: knee_change > 40, cue: c}",
     "condition uses 'knee_change', which is never measured there (a start rule sees"),
    ("{name: r, at: throughout, when: knee < 100, judge_if: rom > 10, cue: c}",
     "condition uses 'rom', which is never measured there (a throughout rule sees"),
])
def test_a_name_its_phase_never_measures_is_an_error(tmp_path, rule, message):
    text = BASE.replace("{name: too_high, at: bottom, when: knee > 120, cue: Sit lower}", rule)
    assert message in _errors(tmp_path, text)


def test_position_and_confirm_see_only_what_they_are_given(tmp_path):
    out = _errors(tmp_path, BASE.replace('position: ["feet > 0.5"]',
                                         'position: ["rom > 10"]\nconfirm: ["knee_change < 10"]'))
    assert "8:12: condition uses 'rom', which is never measured there (position and misread conditions" in out
    assert "9:11: condition uses 'knee_change', which is never measured there (confirm sees" in out


def test_phase_names_are_what_the_form_checker_measures():
    """The validator's sets against a real squat set through the tracker: every name a phase is said to
    see has a value there, and the phase sees no other (``NAME_span`` is read from _max and _min)."""
    spec = get_exercise("squats")
    from deepfit_coach.counting import ExerciseTracker
    tracker = ExerciseTracker(spec)
    during: set[str] = set()
    real_during = tracker.form.during

    def spy(values, t_s, dt):
        during.update(k for k, v in values.items() if v == v)
        return real_during(values, t_s, dt)

    tracker.form.during = spy
    seen: dict[str, set[str]] = {}
    data = load("h90_shallow_squat_poses.npz")
    for skeleton, t in zip(*clip(data, "squats_front_p20_shallow")):
        tracker.update(skeleton, t)
        for phase, values in (tracker.form.last_seen or {}).items():   # names that ever had a value there
            seen.setdefault(phase, set()).update(k for k, v in values.items() if v == v)
    assert during and {"start", "turn", "rep"} <= seen.keys()
    expected = phase_names(spec.signals)
    seen["throughout"] = during
    for phase, names in seen.items():
        spans = {n[:-4] + "_span" for n in names if n.endswith("_max") and n[:-4] + "_min" in names}
        assert expected[phase] == names | spans, phase


def test_every_exercise_of_a_list_says_its_mistakes_at_once(tmp_path):
    """The second exercise's mistakes were said only once the first one's were fixed (QA pass 8)."""
    body = BASE.replace("name: wall_sits\n", "")
    first = "- name: wall_sits\n" + "".join(f"  {line}\n" for line in body.replace("start: 170", "start: 200").splitlines())
    second = "- name: calf_raises\n" + "".join(f"  {line}\n" for line in body.replace("feet > 0.5", "feet > 5").splitlines())
    out = _errors(tmp_path, first + second)
    assert "start 200 can never be reached" in out and "'feet > 5' can never hold" in out
