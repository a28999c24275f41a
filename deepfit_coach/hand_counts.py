"""Hand counts: the truth a person writes down for their own videos (``counts.csv``).

The synth's truth files know every rep's frames and faults; a real recording has only what
someone counted while watching it. ``eval`` reads both: a ``counts.csv`` in the folder, one
row per set, gives the count (and, optionally, when the set ran) so that counting and
recognition can be measured on real people, where it matters::

    video,exercise,reps,start_s,end_s
    garden_squats.mp4,squats,12,,
    gym.mp4,bicep curls,10,4.5,31
    gym.mp4,lateral raises,8,1:02,1:25
    hallway.mp4,rest,0,,

``start_s`` / ``end_s`` (seconds or m:ss, both or neither, for every set of a video or for
none) say when a set ran; without them a video's sets (of one exercise: a video of two needs the
times) are counted over the whole video together. ``rest`` with 0 reps marks a clip in which nothing should be counted.
Exercise names take aliases ("bicep curls"). An optional ``rotate`` column (0, 90, 180, 270) turns a
video stored sideways or upside down, as ``analyze --rotate`` does. Form faults are not hand-labelled: a
video with hand counts adds nothing to the fault recall or the false alarms.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from deepfit_coach.errors import UserError

COUNTS_FILE = "counts.csv"
COLUMNS = ("video", "exercise", "reps")
TIME_COLUMNS = ("start_s", "end_s")
ROTATE_COLUMN = "rotate"   # optional: the video stored sideways or upside down, as analyze --rotate


def row_lines(row: list[str]) -> int:
    """How many lines a CSV row spans (quoted fields may hold newlines)."""
    return 1 + sum(cell.count("\n") for cell in row)


@dataclass(frozen=True)
class HandSet:
    """One set as a person counted it: ``start_s`` / ``end_s`` None when not timed."""

    exercise: str
    reps: int
    start_s: float | None = None
    end_s: float | None = None
    line: int = 0

    @property
    def timed(self) -> bool:
        return self.start_s is not None


@dataclass(frozen=True)
class HandTruth:
    """A video's hand-counted sets, in order (empty: a rest-only clip)."""

    source: str            # "counts.csv:3" (where its first row is)
    sets: tuple[HandSet, ...]
    rotate: str | None = None   # degrees clockwise that make the video upright (None: as analyze decides)

    @property
    def timed(self) -> bool:
        return bool(self.sets) and self.sets[0].timed

    def merged(self) -> tuple[HandSet, ...]:
        """Untimed sets of one exercise as one (counted over the whole video together)."""
        if self.timed:
            return self.sets
        totals: dict[str, int] = {}
        for s in self.sets:
            totals[s.exercise] = totals.get(s.exercise, 0) + s.reps
        return tuple(HandSet(name, n) for name, n in totals.items())


_SECONDS = re.compile(r"(?:(\d+):(?=\d\d(?:\.\d*)?$))?(\d+(?:\.\d*)?)")


def _seconds(text: str) -> float:
    """``"75"``, ``"75.5"`` or ``"1:15"`` / ``"1:05.5"`` (m:ss, seconds under 60) -> seconds; ValueError
    otherwise (a sign, ``inf``, ``1:75``)."""
    m = _SECONDS.fullmatch(text.strip())
    if m is None or (m.group(1) is not None and float(m.group(2)) >= 60):
        raise ValueError(text)
    return float(m.group(2)) + 60 * int(m.group(1) or 0)


def read_counts(path: str | Path, catalogue) -> dict[str, HandTruth]:
    """Video file name -> its hand-counted sets; every problem in the file is one line
    ``file:line: message`` (all of them at once, before any video is read)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read it ({exc.__class__.__name__}: {exc})", exit_code=2) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    # each row with the line it starts on (line_num is where it ends: a quoted field may hold a newline)
    rows = [(reader.line_num - row_lines(row) + 1, row) for row in reader]
    problems: list[str] = []
    header = [h.strip().lower() for h in rows[0][1]] if rows else []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise UserError(f"{path}:1: the first line must name the columns {', '.join(COLUMNS)} (and optionally "
                        f"{', '.join(TIME_COLUMNS)}); {', '.join(missing)} missing", exit_code=2)
    col = {name: header.index(name) for name in COLUMNS + TIME_COLUMNS + (ROTATE_COLUMN,) if name in header}
    turns: dict[str, tuple[str, int]] = {}   # video -> (its rotate, the line that said it)
    sets: dict[str, list[HandSet]] = {}
    first_line: dict[str, int] = {}

    def cell(row: list[str], name: str) -> str:
        k = col.get(name)
        return row[k].strip() if k is not None and k < len(row) else ""

    rest: set[str] = set()
    for n, row in rows[1:]:
        if not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        where = f"{path}:{n}"
        video, name, reps_text = cell(row, "video"), cell(row, "exercise"), cell(row, "reps")
        if not video:
            problems.append(f"{where}: no video named")
            continue
        if rotate := cell(row, ROTATE_COLUMN):
            if rotate not in ("0", "90", "180", "270"):
                problems.append(f"{where}: rotate must be 0, 90, 180 or 270 (degrees clockwise), got '{rotate}'")
                continue
            if turns.setdefault(video, (rotate, n))[0] != rotate:
                problems.append(f"{where}: {video} is turned {turns[video][0]} on line {turns[video][1]}, {rotate} here")
                continue
        exercise = "rest" if name.lower() == "rest" else None
        if exercise is None:
            spec = catalogue.find(name) if name else None
            if spec is None:
                problems.append(f"{where}: unknown exercise '{name}'{catalogue.suggest(name) if name else ''}")
                continue
            exercise = spec.name
        try:
            reps = int(reps_text)
            if reps < 0:
                raise ValueError
        except ValueError:
            problems.append(f"{where}: reps must be a whole number >= 0, got '{reps_text}'")
            continue
        start, end = cell(row, "start_s"), cell(row, "end_s")
        try:
            times = (_seconds(start), _seconds(end)) if start or end else (None, None)
        except ValueError:
            problems.append(f"{where}: start_s and end_s must be seconds (75.5) or m:ss (1:15), both or neither, "
                            f"got '{start}', '{end}'")
            continue
        if times[0] is not None and times[1] <= times[0]:
            problems.append(f"{where}: end_s must come after start_s")
            continue
        if exercise == "rest":
            if reps:
                problems.append(f"{where}: a rest clip has 0 reps, got {reps}")
            elif sets.get(video):
                problems.append(f"{where}: {video} has sets above: a rest clip is one with no set")
            rest.add(video)
            first_line.setdefault(video, n)
            sets.setdefault(video, [])
            continue
        if video in rest:
            problems.append(f"{where}: {video} is a rest clip above: a video with a set is no rest clip")
            continue
        earlier = sets.get(video, [])
        if earlier and earlier[0].timed != (times[0] is not None):
            problems.append(f"{where}: give start_s and end_s for every set of {video} or for none")
            continue
        if earlier and times[0] is not None and times[0] < earlier[-1].end_s:
            problems.append(f"{where}: sets of {video} must be in order and not overlap")
            continue
        if earlier and times[0] is None and any(e.exercise != exercise for e in earlier):
            problems.append(f"{where}: {video} has sets of {earlier[0].exercise} and {exercise}: give start_s and end_s "
                            f"to each (untimed, each exercise is counted over the whole video, the other's reps too)")
            continue
        first_line.setdefault(video, n)
        sets.setdefault(video, []).append(HandSet(exercise, reps, times[0], times[1], n))
    if problems:
        raise UserError("\n".join(problems + [f"{len(problems)} problem{'s' if len(problems) != 1 else ''} "
                                              f"in {path}"]), exit_code=2)
    return {v: HandTruth(f"{path.name}:{first_line[v]}", tuple(s), turns.get(v, (None, 0))[0]) for v, s in sets.items()}
