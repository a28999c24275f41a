"""The history, progress and report commands over a real database in DEEPFIT_HOME."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from deepfit_coach.events import RepInfo
from deepfit_coach.history import HistoryStore
from conftest import run_cli

T0 = datetime(2026, 9, 7, 7, tzinfo=timezone.utc)  # a Monday


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPFIT_HOME", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.setenv("TZ", "UTC")  # weeks are local-time ISO weeks
    time.tzset()
    yield tmp_path
    monkeypatch.undo()
    time.tzset()


def fill(days_reps: list[tuple[int, str, list[int], float]], fault_every: int = 0) -> list[int]:
    """Sessions: (day offset, exercise, reps per set, rom); returns their ids."""
    ids = []
    with HistoryStore.open() as store:
        for k, (day, exercise, sets, rom) in enumerate(days_reps):
            start = T0 + timedelta(days=day)
            sid = store.start_session(f"plan {exercise}", started_at=start)
            for n, reps in enumerate(sets, 1):
                set_id = store.start_set(sid, 0, exercise, n, target_reps=10, started_at=start)
                for i in range(reps):
                    issues = ["knees_in"] if fault_every and i % fault_every == 0 else []
                    store.add_rep(set_id, RepInfo(i + 1, 2.0 * i, 2.0 * i + 1.2, "both", rom, 0.6, 0.6, issues))
                store.end_set(set_id, reps, 0, ended_at=start + timedelta(seconds=30))
            store.end_session(sid, "complete", ended_at=start + timedelta(minutes=10))
            ids.append(sid)
    return ids


def test_empty_history_is_friendly_and_json_is_an_empty_array(home, capsys):
    code, out, err = run_cli(["history"], capsys)
    assert code == 0 and "No sessions yet" in out
    code, out, err = run_cli(["history", "--json"], capsys)
    assert code == 0 and json.loads(out) == []


def test_history_json_is_one_array_with_right_counts(home, capsys):
    ids = fill([(0, "squats", [10, 8], 90.0), (1, "pushups", [6], 80.0)])
    code, out, err = run_cli(["history", "--json"], capsys)
    assert code == 0 and err == ""
    data = json.loads(out)  # exactly one JSON document
    assert [(d["id"], d["reps"], d["sets"], d["exercises"]) for d in data] == [
        (ids[1], 6, 1, ["pushups"]), (ids[0], 18, 2, ["squats"])]
    code, out, _ = run_cli(["history", "--json", "-n", "1"], capsys)
    assert [d["id"] for d in json.loads(out)] == [ids[1]]
    code, out, _ = run_cli(["history"], capsys)
    assert code == 0 and "plan squats" in out and "18" in out


def test_show_lists_reps_and_unknown_id_is_one_line_exit_1(home, capsys):
    (sid,) = fill([(0, "squats", [3], 95.0)], fault_every=2)
    code, out, err = run_cli(["history", "show", str(sid)], capsys)
    assert code == 0 and "squats set 1" in out and "3 of 10 reps" in out and "knees in" in out
    code, out, _ = run_cli(["history", "show", "last", "--json"], capsys)
    detail = json.loads(out)
    assert detail["id"] == sid and [r["issues"] for r in detail["set_list"][0]["rep_list"]] == [
        ["knees_in"], [], ["knees_in"]]
    for bad in (str(sid + 100), "abc"):
        code, out, err = run_cli(["history", "show", bad], capsys)
        assert code == 1 and out == "" and len(err.strip().splitlines()) == 1 and err.startswith("error:")
    code, out, err = run_cli(["report", str(sid + 100)], capsys)
    assert code == 1 and "no session with id" in err


def test_export_csv_and_json_agree_with_the_store(home, capsys, tmp_path):
    fill([(0, "squats", [10, 7], 90.0), (3, "lunges", [5], 70.0)])
    code, out, _ = run_cli(["history", "export", "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["exercise"], int(r["reps"])) for r in rows] == [("squats", 10), ("squats", 7), ("lunges", 5)]
    assert float(rows[0]["time_under_tension_s"]) == pytest.approx(10 * 1.2)
    target = tmp_path / "out" / "h.json"
    code, out, err = run_cli(["history", "export", "--format", "json", "-o", str(target)], capsys)
    assert code == 2 and err == f"error: {target.parent} does not exist (create it first)\n"
    assert not target.parent.exists()   # a folder the user did not ask for is never created
    target.parent.mkdir()
    code, out, err = run_cli(["history", "export", "--format", "json", "-o", str(target)], capsys)
    assert code == 0 and out == "" and err == f"wrote {target}\n"
    data = json.loads(target.read_text())
    reps = [len(s["rep_list"]) for sess in data["sessions"] for s in sess["set_list"]]
    assert reps == [10, 7, 5]


def test_progress_weeks_rom_fault_and_plot(home, capsys, tmp_path):
    # week 1: 2 sessions; week 2: nothing; week 3: 1 session with more range of motion
    fill([(0, "squats", [10, 10], 80.0), (2, "squats", [8], 84.0), (15, "squats", [12], 100.0),
          (1, "pushups", [5], 60.0)], fault_every=4)
    png = tmp_path / "p.png"
    code, out, err = run_cli(["progress", "Squat", "--json", "--plot", str(png)], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["exercise"] == "squats"
    assert [(w["week"], w["reps"], w["sessions"]) for w in data["weeks"]] == [
        ("2026-W37", 28, 2), ("2026-W38", 0, 0), ("2026-W39", 12, 1)]
    assert data["weeks"][0]["avg_rom_deg"] == pytest.approx((20 * 80 + 8 * 84) / 28, abs=0.05)
    assert data["rom_change_deg"] == pytest.approx(100 - (20 * 80 + 8 * 84) / 28, abs=0.05)
    assert data["top_fault"] == "knees_in" and data["top_fault_count"] == 3 + 3 + 2 + 3
    assert data["totals"][0]["reps"] == 40 and data["totals"][0]["best_set_reps"] == 12
    import matplotlib.image

    image = matplotlib.image.imread(png)
    assert image.shape[0] >= 300 and image.shape[1] >= 500
    # the format its name asks for (an .svg or .pdf held PNG bytes)
    for name, head in (("p.svg", b"<?xml"), ("p.pdf", b"%PDF")):
        code, _, _ = run_cli(["progress", "Squat", "--plot", str(tmp_path / name)], capsys)
        assert code == 0 and (tmp_path / name).read_bytes().startswith(head)
    code, out, _ = run_cli(["progress"], capsys)
    assert code == 0 and "squats" in out and "pushups" in out and "knees in" in out


ANSI = re.compile(r"\x1b\[[0-9;]*m")
FAULTY = [(0, "lateral_shoulder_raises", [10, 10], 80.0), (1, "jumping_jacks", [12], 1.5)]


@pytest.mark.parametrize("tty", [True, False], ids=["terminal", "piped"])
def test_progress_at_80_columns_shows_every_column(home, capsys, monkeypatch, tty):
    """An 80-column terminal folds long names and faults (no column squeezed to nothing); piped
    output keeps every row on one line, as `eval` does."""
    fill(FAULTY, fault_every=3)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: tty)
    code, out, _ = run_cli(["progress"], capsys)
    out = ANSI.sub("", out)
    assert code == 0
    header = next(line for line in out.splitlines() if line.startswith("Exercise"))
    assert header.rstrip().endswith("Top fault")
    rows = [line for line in out.splitlines() if "│" in line][:4]
    assert "knees in" in rows[0] and "×" in rows[0 if not tty else 1]
    if tty:
        assert max(len(line) for line in out.splitlines()) <= 80
    else:
        assert "lateral shoulder raises" in rows[0] and "knees in ×8" in rows[0]


def test_history_of_an_unknown_plan_names_the_plans(home, capsys):
    fill([(0, "squats", [5], 90.0), (1, "pushups", [5], 80.0)])
    code, out, err = run_cli(["history", "--plan", "nope"], capsys)
    assert code == 1 and out == ""
    assert err == "error: no sessions of plan 'nope'; plans so far: 'plan pushups', 'plan squats'\n"
    code, out, err = run_cli(["history", "--plan", "plan squat"], capsys)
    assert code == 1 and err == "error: no sessions of plan 'plan squat' (did you mean 'plan squats'?)\n"
    code, out, err = run_cli(["history", "--plan", "Plan Squats", "--json"], capsys)
    assert code == 0 and [d["plan_name"] for d in json.loads(out)] == ["plan squats"]


def test_progress_unknown_exercise_suggests(home, capsys):
    fill([(0, "squats", [5], 90.0)])
    code, out, err = run_cli(["progress", "squatz"], capsys)
    assert code == 1 and "did you mean 'squats'" in err and out == ""


def test_progress_takes_an_alias(home, capsys):
    fill([(0, "squats", [5], 90.0)])
    code, out, err = run_cli(["progress", "air squats", "--json"], capsys)
    assert code == 0, err
    assert json.loads(out)["exercise"] == "squats"


def test_report_command_text_json_and_html(home, capsys, tmp_path):
    first, second = fill([(0, "squats", [10, 6], 90.0), (7, "squats", [10, 9], 92.0)])
    code, out, _ = run_cli(["report", "--json"], capsys)
    data = json.loads(out)
    assert data["session"]["id"] == second and data["total_reps"] == 19
    assert data["previous"]["previous_id"] == first and data["previous"]["reps_delta"] == 19 - 16
    html = tmp_path / "r.html"
    code, out, err = run_cli(["report", str(first), "--html", str(html)], capsys)
    assert code == 0 and "16" in out and html.read_text().lower().lstrip().startswith("<!doctype html>")


def test_csv_seconds_are_written_to_the_millisecond():
    from deepfit_coach.history.export import _blank

    assert (_blank(9.332999999999998), _blank(15.100000000000001), _blank(None), _blank(7)) == (9.333, 15.1, "", 7)


def test_show_and_export_name_a_skipped_set(home, capsys):
    with HistoryStore.open() as store:
        sid = store.start_session("plan squats", started_at=T0)
        set_id = store.start_set(sid, 0, "squats", 1, target_reps=10, started_at=T0)
        store.end_set(set_id, 3, 0, ended_at=T0 + timedelta(seconds=30), outcome="skipped")
        store.end_session(sid, "quit", ended_at=T0 + timedelta(minutes=1))
    code, out, _ = run_cli(["history", "show", "last"], capsys)
    assert code == 0 and "3 of 10 reps (skipped)" in out
    code, out, _ = run_cli(["history", "export", "--format", "csv"], capsys)
    assert list(csv.DictReader(io.StringIO(out)))[0]["set_outcome"] == "skipped"


def test_the_report_does_not_count_a_skipped_or_stopped_set_as_done(home, capsys):
    """The coach's summary says a skipped or stopped set was not finished; the report (and its JSON) agree."""
    with HistoryStore.open() as store:
        sid = store.start_session("plan squats", started_at=T0)
        for n, outcome in ((1, None), (2, "skipped"), (3, "stopped")):
            set_id = store.start_set(sid, 0, "squats", n, target_reps=10, started_at=T0 + timedelta(minutes=n))
            store.end_set(set_id, 10 if outcome is None else 3, 0, ended_at=T0 + timedelta(minutes=n, seconds=30),
                          outcome=outcome)
        store.end_session(sid, "quit", ended_at=T0 + timedelta(minutes=5))
    code, out, _ = run_cli(["report", "last", "--json"], capsys)
    squats = json.loads(out)["exercises"][0]
    assert code == 0 and (squats["sets_done"], squats["sets_skipped"], squats["sets_stopped"]) == (1, 1, 1)
    code, out, _ = run_cli(["report", "last"], capsys)
    assert code == 0 and "1 (1 skipped, 1 stopped)" in out
