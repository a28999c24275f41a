"""counts.csv: a person's own counts for eval, every mistake one file:line line before any video is read."""

from __future__ import annotations

import pytest

from deepfit_coach.errors import UserError
from deepfit_coach.exercises import load_catalogue
from deepfit_coach.hand_counts import HandSet, read_counts


def _read(tmp_path, text: str):
    p = tmp_path / "counts.csv"
    p.write_text(text)
    return read_counts(p, load_catalogue())


def _problems(tmp_path, text: str) -> list[str]:
    """The lines of the error ``text`` as counts.csv raises, the file's path as "counts.csv"."""
    with pytest.raises(UserError) as err:
        _read(tmp_path, text)
    return str(err.value).replace(str(tmp_path / "counts.csv"), "counts.csv").splitlines()


def test_rows_become_sets_by_video(tmp_path):
    got = _read(tmp_path, "Video,Exercise,Reps,start_s,end_s\n"
                          "a.mp4,squat,12,,\n"
                          "# a comment line\n\n"
                          "b.mp4,bicep curls,10,4.5,31\n"
                          "b.mp4,lateral raises,8,1:02,1:25.5\n"
                          "c.mp4,rest,0,,\n"
                          "a.mp4,squats,10,,\n")
    assert set(got) == {"a.mp4", "b.mp4", "c.mp4"}
    assert got["b.mp4"].sets == (HandSet("bicep_curls", 10, 4.5, 31.0, 5), HandSet("lateral_shoulder_raises", 8, 62.0, 85.5, 6))
    assert got["b.mp4"].timed and got["b.mp4"].source == "counts.csv:5"
    assert got["c.mp4"].sets == ()
    # untimed sets of one exercise are counted over the whole video together
    assert got["a.mp4"].merged() == (HandSet("squats", 22),)


def test_the_time_columns_may_be_left_out(tmp_path):
    assert _read(tmp_path, "video,exercise,reps\nx.mp4,pushups,7\n")["x.mp4"].sets == (HandSet("pushups", 7, line=2),)


def test_every_problem_is_one_line_with_its_place(tmp_path):
    assert _problems(tmp_path, "video,exercise,reps,start_s,end_s\n"
                               "a.mp4,sqauts,12,,\n"
                               "a.mp4,squats,twelve,,\n"
                               "b.mp4,squats,5,10,\n"
                               "b.mp4,squats,5,20,12\n"
                               "c.mp4,squats,5,1,9\n"
                               "c.mp4,lunges,5,,\n"
                               "c.mp4,lunges,5,5,12\n"
                               ",squats,5,,\n"
                               "d.mp4,rest,3,,\n") == [
        "counts.csv:2: unknown exercise 'sqauts' (did you mean 'squats'?)",
        "counts.csv:3: reps must be a whole number >= 0, got 'twelve'",
        "counts.csv:4: start_s and end_s must be seconds (75.5) or m:ss (1:15), both or neither, got '10', ''",
        "counts.csv:5: end_s must come after start_s",
        "counts.csv:7: give start_s and end_s for every set of c.mp4 or for none",
        "counts.csv:8: sets of c.mp4 must be in order and not overlap",
        "counts.csv:9: no video named",
        "counts.csv:10: a rest clip has 0 reps, got 3",
        "8 problems in counts.csv",
    ]


def test_a_file_without_the_columns_says_which(tmp_path):
    with pytest.raises(UserError, match=r"counts.csv:1: the first line must name the columns video, exercise, reps "
                                        r"\(and optionally start_s, end_s\); reps missing"):
        _read(tmp_path, "video,exercise,count\na.mp4,squats,3\n")


@pytest.mark.parametrize("start, end", [("-0:30", "1:00"), ("1:75", "2:00"), ("10", "inf"), ("1:2", "1:30"),
                                        ("+5", "9")])
def test_times_are_seconds_or_minutes_and_seconds(tmp_path, start, end):
    with pytest.raises(UserError, match="start_s and end_s must be seconds"):
        _read(tmp_path, f"video,exercise,reps,start_s,end_s\na.mp4,squats,5,{start},{end}\n")
    ok = _read(tmp_path, "video,exercise,reps,start_s,end_s\na.mp4,squats,5,0:05.5,1:02\n")["a.mp4"].sets[0]
    assert (ok.start_s, ok.end_s) == (5.5, 62.0)


def test_a_rest_clip_has_no_sets_and_lines_count_quoted_newlines(tmp_path):
    assert _problems(tmp_path, 'video,exercise,reps\n"a\nb.mp4",squats,x\nc.mp4,rest,0\nc.mp4,squats,5\n'
                               'd.mp4,squats,5\nd.mp4,rest,0\n') == [
        "counts.csv:2: reps must be a whole number >= 0, got 'x'",
        "counts.csv:5: c.mp4 is a rest clip above: a video with a set is no rest clip",
        "counts.csv:7: d.mp4 has sets above: a rest clip is one with no set",
        "3 problems in counts.csv",
    ]


def test_two_exercises_in_one_video_need_their_times(tmp_path):
    """Untimed, each exercise was counted over the whole video: squats 6 of 5, lunges 11 of 6 (QA pass 8)."""
    with pytest.raises(UserError, match=r"counts.csv:3: a.mp4 has sets of squats and lunges: give start_s and end_s"):
        _read(tmp_path, "video,exercise,reps\na.mp4,squats,5\na.mp4,lunges,6\n")
    got = _read(tmp_path, "video,exercise,reps,start_s,end_s\na.mp4,squats,5,0,20\na.mp4,lunges,6,25,50\n")
    assert [s.exercise for s in got["a.mp4"].sets] == ["squats", "lunges"]


def test_a_rotate_column_turns_a_video(tmp_path):
    got = _read(tmp_path, "video,exercise,reps,rotate\na.mp4,squats,5,90\na.mp4,squats,4,90\nb.mp4,squats,3,\n")
    assert (got["a.mp4"].rotate, got["b.mp4"].rotate) == ("90", None)
    assert _problems(tmp_path, "video,exercise,reps,rotate\na.mp4,squats,5,45\nb.mp4,squats,5,90\n"
                               "b.mp4,squats,5,180\n")[:2] == [
        "counts.csv:2: rotate must be 0, 90, 180 or 270 (degrees clockwise), got '45'",
        "counts.csv:4: b.mp4 is turned 90 on line 3, 180 here"]
