"""Plans: shipped workouts validate, 20 broken plans give exact file:line:col messages, random YAML never crashes."""

from __future__ import annotations

import json
import string
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deepfit_coach.errors import UserError
from deepfit_coach.plan import ExerciseCatalogue, load_plan, loads_plan, plan_json_schema
from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "data" / "broken_plans"
WORKOUTS = sorted((ROOT / "workouts").glob("*.yaml"))
CATALOGUE = ExerciseCatalogue.load()


@pytest.mark.parametrize("path", WORKOUTS, ids=lambda p: p.name)
def test_every_shipped_workout_validates(path, capsys):
    plan = load_plan(path, CATALOGUE)
    assert plan.name and plan.sets
    code, out, err = run_cli(["validate", str(path)], capsys)
    assert code == 0 and out.startswith(f"ok: {path}") and err == ""
    import jsonschema

    jsonschema.validate(yaml.safe_load(path.read_text()), plan_json_schema(CATALOGUE.names()))


def test_there_are_four_kinds_of_workouts():
    names = {p.stem for p in WORKOUTS}
    assert {"beginner_full_body", "dumbbell_upper_body", "jumping_jack_squat_circuit", "quick_10_minute"} <= names
    quick = load_plan(ROOT / "workouts" / "quick_10_minute.yaml", CATALOGUE)
    assert 7 <= quick.estimated_minutes() <= 13


def _expected() -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for line in (BROKEN / "expected.txt").read_text().splitlines():
        name, _, rest = line.partition(": ")
        out[name].append(rest)
    return out


EXPECTED = _expected()


def test_corpus_has_twenty_plans():
    assert len(list(BROKEN.glob("*.yaml"))) == 20 == len(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_plan_gives_exact_messages(name, capsys, monkeypatch):
    monkeypatch.chdir(BROKEN)
    code, out, err = run_cli(["validate", "-q", name], capsys)
    assert code == 1
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[:-1] == [f"{name}:{msg}" for msg in EXPECTED[name]]
    assert lines[-1].endswith("found")


def test_schema_rejects_what_the_validator_rejects():
    import jsonschema

    schema = plan_json_schema(CATALOGUE.names())
    for name in ("03_negative_rest.yaml", "04_reps_text.yaml", "09_zero_sets.yaml", "12_unknown_cue.yaml",
                 "13_blocks_empty.yaml", "16_circuit_sets.yaml"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(yaml.safe_load((BROKEN / name).read_text()), schema)


def test_new_template_validates_and_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "mine.yaml"
    code, out, _ = run_cli(["new", str(path)], capsys)
    assert code == 0 and path.exists()
    plan = load_plan(path, CATALOGUE)
    assert len(plan.block_names) == 3 and any(s.circuit for s in plan.sets) and any(s.timed for s in plan.sets)
    assert "#" in path.read_text()                     # it is commented
    code, _, err = run_cli(["new", str(path)], capsys)
    assert code == 1 and "already exists" in err


def test_validate_counts_in_english(tmp_path, capsys):
    path = tmp_path / "one.yaml"
    path.write_text("name: One\nblocks:\n  - exercise: squats\n    sets: 1\n")
    code, out, _ = run_cli(["validate", str(path)], capsys)
    assert code == 0 and out.startswith(f"ok: {path}: 'One', 1 block, 1 set, ~")


def test_schema_command_prints_json(capsys):
    code, out, _ = run_cli(["schema"], capsys)
    schema = json.loads(out)
    assert code == 0 and "squats" in json.dumps(schema["properties"]["blocks"])


def test_exercises_command_lists_camera_advice(capsys):
    code, out, _ = run_cli(["exercises", "--json"], capsys)
    items = json.loads(out)
    assert code == 0 and len(items) >= 10 and all(i["camera_advice"] for i in items)


def test_circuit_flattening_and_rests():
    plan = loads_plan("""
name: C
defaults: {rest: 50, rest_after: 100}
blocks:
  - exercise: squats
    sets: 2
    reps: 5
  - name: Finisher
    rounds: 2
    rest: 10
    rest_after_round: 40
    circuit:
      - {exercise: jumping_jacks, duration: 20}
      - {exercise: squats, reps: 8}
""", "c.yaml", CATALOGUE)
    got = [(s.exercise, s.set_number, s.reps, s.duration_s, s.rest_after_s) for s in plan.sets]
    assert got == [("squats", 1, 5, None, 50.0), ("squats", 2, 5, None, 100.0),
                   ("jumping_jacks", 1, None, 20.0, 10.0), ("squats", 1, 8, None, 40.0),
                   ("jumping_jacks", 2, None, 20.0, 10.0), ("squats", 2, 8, None, 0.0)]


def test_aliases_resolve_to_catalogue_names():
    plan = loads_plan("name: A\nblocks:\n  - exercise: Push-ups\n    sets: 1\n", "a.yaml", CATALOGUE)
    assert plan.sets[0].exercise == "pushups" and plan.sets[0].camera_advice


# ---------------------------------------------------------------- property-based: never a crash

def _must_not_crash(text: str) -> None:
    try:
        loads_plan(text, "h.yaml", CATALOGUE)
    except UserError as exc:  # YamlValidationError included: a message, exit code 1
        assert exc.exit_code == 1 and exc.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=string.printable + "äé€\u00a0", max_size=200))
def test_random_text_never_crashes(text):
    _must_not_crash(text)


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), st.floats(allow_nan=True),
                     st.text(max_size=12), st.sampled_from(["squats", "pushups", "3-1-1", "circuit"]))
_keys = st.sampled_from(["name", "blocks", "exercise", "sets", "reps", "duration", "rest", "rest_after", "tempo",
                         "cues", "counts", "voice", "rate", "volume", "circuit", "superset", "rounds", "defaults",
                         "countdown", "exercises", "description", "enabled", "down", "bogus"])
_data = st.recursive(_scalars, lambda children: st.one_of(st.lists(children, max_size=4),
                                                          st.dictionaries(_keys, children, max_size=6)), max_leaves=25)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_keys, _data, max_size=8))
def test_random_plan_shaped_yaml_never_crashes(data):
    _must_not_crash(yaml.safe_dump(data, allow_unicode=True))


def test_documented_example_validates():
    text = (ROOT / "docs" / "plans.md").read_text()
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    plan = loads_plan(example, "docs/plans.md", CATALOGUE)
    assert plan.name == "Legs and cardio"
    assert [s.exercise for s in plan.sets[-3:]] == ["squats", "jumping_jacks", "pushups"]
    assert plan.sets[0].tempo is not None and str(plan.sets[0].tempo) == "3-1-1"


CUSTOM = """\
name: Custom
exercises:
  - name: wall_squats
    display_name: Wall squats
    camera_advice: Side-on, whole body in view.
    required: [torso, "{side}_leg"]
    signals:
      knee: {angle: ["{side}_hip", "{side}_knee", "{side}_ankle"], source: world, side: both}
    counting:
      signal: knee
      start: 170
      turn: 90
      start_gate: 150
      turn_gate: 130
      min_rom: 30
blocks:
  - exercise: wall_squats
    sets: 1
    reps: 5
"""


def test_inline_custom_exercise_is_usable():
    plan = loads_plan(CUSTOM, "c.yaml", ExerciseCatalogue.load())
    s = plan.sets[0]
    assert s.exercise == "wall_squats" and s.display_name == "Wall squats" and s.spec is not None
    assert s.camera_advice == "Side-on, whole body in view."


def test_custom_exercise_from_file_and_its_errors_point_into_the_right_file(tmp_path):
    ex = tmp_path / "mine.yaml"
    body = CUSTOM.split("exercises:\n", 1)[1].split("blocks:", 1)[0]
    ex.write_text("\n".join(line[4:] for line in body.splitlines()))
    plan_path = tmp_path / "plan.yaml"
    plan_path.write_text("name: From file\nexercises: [mine.yaml]\nblocks:\n  - exercise: wall_squats\n")
    plan = load_plan(plan_path, ExerciseCatalogue.load())
    assert plan.sets[0].exercise == "wall_squats"
    ex.write_text(ex.read_text().replace("turn: 90", "turn: ninety"))
    from deepfit_coach.yamlfile import YamlValidationError

    with pytest.raises(YamlValidationError) as err:
        load_plan(plan_path, ExerciseCatalogue.load())
    files = {i.file for i in err.value.issues}
    assert str(ex) in files       # the problem is reported in the exercise file, with its line
    bad = CUSTOM.replace("turn: 90", "turn: ninety")
    with pytest.raises(YamlValidationError) as err:
        loads_plan(bad, "c.yaml", ExerciseCatalogue.load())
    lines = [str(i) for i in err.value.issues]
    assert lines == ["c.yaml:12:13: exercises[0].counting.turn must be a number, got text 'ninety'"]


def test_a_mistyped_exercise_file_names_the_file_beside_it(tmp_path):
    from deepfit_coach.yamlfile import YamlValidationError

    body = CUSTOM.split("exercises:\n", 1)[1].split("blocks:", 1)[0]
    (tmp_path / "wall_squats.yaml").write_text("\n".join(line[4:] for line in body.splitlines()))
    plan_path = tmp_path / "plan.yaml"
    plan_path.write_text("name: Typo\nexercises: [wall_sqauts.yaml]\nblocks:\n  - exercise: wall_squats\n")
    with pytest.raises(YamlValidationError) as err:
        load_plan(plan_path, ExerciseCatalogue.load())
    msgs = [i.message for i in err.value.issues]
    assert msgs[0].endswith("wall_sqauts.yaml: file not found (did you mean "
                            f"'{tmp_path / 'wall_squats.yaml'}'?)")
    # the block's exercise is unknown perhaps only because its file was not read: said first, then a built-in
    assert msgs[1] == ("unknown exercise 'wall_squats' (if wall_sqauts.yaml defines it, fix that file first; "
                       "or did you mean 'squats'?)")
    with pytest.raises(UserError) as missing:
        load_plan(tmp_path / "paln.yaml", ExerciseCatalogue.load())
    assert f"(did you mean '{plan_path}'?)" in missing.value.message


def test_inline_custom_exercise_cannot_replace_a_builtin():
    from deepfit_coach.yamlfile import YamlValidationError

    with pytest.raises(YamlValidationError) as err:
        loads_plan(CUSTOM.replace("wall_squats", "squats"), "c.yaml", ExerciseCatalogue.load())
    assert [str(i) for i in err.value.issues] == [
        "c.yaml:3:11: name 'squats' is taken by a built-in exercise; pick another name"]


def test_defaults_voice_shorthand_and_timed_defaults():
    plan = loads_plan("""
name: D
voice: false
countdown: 0
defaults: {sets: 2, duration: 30, rest: 10, rest_after: 20, cues: false}
blocks:
  - exercise: jumping_jacks
  - exercise: squats
    reps: 8
    sets: 1
""", "d.yaml", CATALOGUE)
    assert not plan.voice.enabled and plan.countdown_s == 0
    jj = plan.sets[:2]
    assert all(s.timed and s.duration_s == 30 and s.sets_total == 2 for s in jj)
    assert [s.rest_after_s for s in plan.sets] == [10.0, 20.0, 0.0]
    assert plan.sets[2].reps == 8 and not plan.sets[2].timed
    assert not plan.sets[0].cues.counts and not plan.sets[0].cues.form


def test_start_refuses_a_broken_plan_with_every_problem(capsys, monkeypatch):
    monkeypatch.chdir(BROKEN)
    code, out, err = run_cli(["start", "18_many_errors.yaml", "--source", "replay:none.jsonl"], capsys)
    assert code == 1 and "Traceback" not in err
    lines = err.splitlines()
    assert lines[:-1] == [f"18_many_errors.yaml:{m}" for m in EXPECTED["18_many_errors.yaml"]]
    assert "not started" in lines[-1]


def test_progression_rules_are_validated_with_positions():
    from deepfit_coach.yamlfile import YamlValidationError

    with pytest.raises(YamlValidationError) as err:
        loads_plan("name: P\nblocks:\n  - exercise: squats\n    progression: {add_rep: 2}\n"
                   "  - exercise: squats\n    progression: {add_reps: 0}\n", "q.yaml", CATALOGUE)
    assert [str(i) for i in err.value.issues] == [
        "q.yaml:4:19: unknown progression key 'add_rep' (did you mean 'add_reps'?)",
        "q.yaml:6:29: progression add_reps must be a whole number ≥ 1, got 0"]
    plan = load_plan(ROOT / "workouts" / "beginner_full_body.yaml", CATALOGUE)
    assert plan.sets[0].progression.add_reps == 2 and plan.sets[3].progression is None


EXERCISE_FILE = """\
name: wall_sits
display_name: Wall Sits
camera_advice: Turn side-on to the camera.
required: [torso, "{side}_leg"]
signals:
  knee: {angle: ["{side}_hip", "{side}_knee", "{side}_ankle"], source: image, side: best}
counting: {signal: knee, start: 170, turn: 90, min_rom: 30}
"""


def test_validate_checks_a_custom_exercise_file_as_one(tmp_path, capsys):
    """`validate` on an exercise file checked it as a plan: 17 'unknown key ... in the plan'."""
    good = tmp_path / "wall.yaml"
    good.write_text(EXERCISE_FILE)
    code, out, err = run_cli(["validate", str(good)], capsys)
    assert code == 0 and out == f"ok: {good}: custom exercise wall_sits\n"
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXERCISE_FILE.replace("source: image", "source: imgae"))
    code, out, err = run_cli(["validate", str(bad)], capsys)
    assert code == 1 and f"{bad}:6:" in err and "did you mean 'image'" in err and "in the plan" not in err
    # without its counting (left out, or misspelt), or as a list, it is still an exercise file: one line, not
    # ten about a plan ("missing required key 'blocks'", "unknown key 'display_name' in the plan" ...)
    body = EXERCISE_FILE.replace("counting: {signal: knee, start: 170, turn: 90, min_rom: 30}\n", "")
    for text, line in ((body, f"{bad}:1:1: exercise is missing required key 'counting'"),
                       (EXERCISE_FILE.replace("counting:", "countng:"),
                        f"{bad}:7:1: unknown key 'countng' in exercise (did you mean 'counting'?)"),
                       ("- " + body.replace("\n", "\n  ").rstrip() + "\n",
                        f"{bad}:1:3: exercise is missing required key 'counting'")):
        bad.write_text(text)
        code, out, err = run_cli(["validate", str(bad)], capsys)
        assert code == 1 and err.splitlines() == [line, "1 problem found"], err


def test_a_progression_that_can_never_raise_its_block_is_an_error(tmp_path, capsys):
    """add_reps on a timed block, or max_seconds on a rep block, was accepted and silently ignored."""
    plan = tmp_path / "prog.yaml"
    plan.write_text("name: P\nblocks:\n  - exercise: jumping_jacks\n    duration: 30\n    progression: {add_reps: 2}\n"
                    "  - exercise: squats\n    reps: 8\n    progression: {add_reps: 1, max_seconds: 60}\n"
                    "  - exercise: squats\n    reps: 8\n    progression: {add_reps: 1, max_reps: 12}\n")
    code, out, err = run_cli(["validate", str(plan)], capsys)
    assert code == 1
    assert f"{plan}:5:19: this block is timed (duration:): its progression needs add_seconds, not add_reps" in err
    assert f"{plan}:8:32: this block is counted in reps: use max_reps, not max_seconds" in err
    assert "2 problems found" in err


def test_qa4_plan_mistakes_read_as_written_and_all_at_once(tmp_path, capsys):
    """QA pass 4: a 0-s timed set is an error (it ran with no target at all), every bad progression key is
    reported in one run, numbers are shown as written, 1e9 is a number, and '{side}_' names are suggested."""
    from deepfit_coach.yamlfile import YamlValidationError

    text = ("name: P\nblocks:\n  - exercise: squats\n    duration: 0\n"
            "  - exercise: squats\n    progression: {add_reps: 2, max_reps: 0, sessions: 0, when: always}\n"
            "  - exercise: squats\n    reps: 10.0\n    sets: 1000000\n    rest: 1e9\n")
    with pytest.raises(YamlValidationError) as err:
        loads_plan(text, "q.yaml", CATALOGUE)
    assert [str(i) for i in err.value.issues] == [
        "q.yaml:4:15: duration must be greater than 0, got 0",
        "q.yaml:6:42: progression max_reps must be a whole number ≥ 1, got 0",
        "q.yaml:6:55: progression sessions must be a whole number ≥ 1, got 0",
        "q.yaml:6:64: progression when must be one of all_sets_clean, all_sets_complete, got 'always'",
        "q.yaml:8:11: reps must be a whole number, got a number 10.0",
        "q.yaml:9:11: sets must be at most 50, got 1000000",
        "q.yaml:10:11: rest must be at most 1800, got 1000000000.0"]
    custom = EXERCISE_FILE.replace('"{side}_knee"', '"{side}_kneee"', 1)
    assert custom != EXERCISE_FILE
    (tmp_path / "wall.yaml").write_text(custom)
    code, _, err = run_cli(["validate", str(tmp_path / "wall.yaml")], capsys)
    assert code == 1 and "unknown landmark '{side}_kneee' (did you mean '{side}_knee'?)\n" in err, err


def test_the_exercises_table_shows_every_alias_whole_at_80_columns(capsys, monkeypatch):
    """Aliases are names a plan may use: at 80 columns they were cut ('alternati…') or left out (past 3)."""
    from deepfit_coach.exercises import load_catalogue

    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_cli(["exercises"], capsys)
    assert code == 0 and "…" not in out and max(len(line) for line in out.splitlines()) <= 80
    column = " ".join(line.split("│")[3].strip() for line in out.splitlines() if line.count("│") == 4)
    for spec in load_catalogue():   # a long alias may wrap onto the next line, whole words
        assert all(alias in column for alias in spec.aliases), (spec.name, spec.aliases)


def test_a_custom_exercise_defined_twice_is_an_error(tmp_path, capsys):
    """Two exercises of one name (in one file, or the same file listed twice) were accepted: the last won."""
    one = "\n".join(line[4:] for line in CUSTOM.split("exercises:\n", 1)[1].split("blocks:", 1)[0].splitlines())
    both = tmp_path / "both.yaml"
    both.write_text("- " + one.replace("\n", "\n  ") + "\n- " + one.replace("\n", "\n  ").replace(
        "name: wall_squats", "name: wall_squats_2").replace("Wall squats", "Wall squats 2") + "\n")
    code, _, err = run_cli(["validate", str(both)], capsys)
    assert code == 0, err                               # two names: fine
    both.write_text("- " + one.replace("\n", "\n  ") + "\n- " + one.replace("\n", "\n  ") + "\n")
    code, _, err = run_cli(["validate", str(both)], capsys)
    assert code == 1 and "name 'wall_squats' is taken by the custom exercise 'wall_squats' above" in err
    single = tmp_path / "wall.yaml"
    single.write_text(one + "\n")
    plan = tmp_path / "plan.yaml"
    plan.write_text("name: Twice\nexercises: [wall.yaml, wall.yaml]\nblocks:\n  - exercise: wall_squats\n")
    code, _, err = run_cli(["validate", str(plan)], capsys)
    assert code == 1 and f"{plan}:2:24: custom exercise 'wall_squats' is defined twice under exercises: keep one" in err
