"""Workout plans: the YAML format users author, its validation and the flat list of sets.

A plan is validated in one pass that reports *every* problem with ``file:line:col``
(see :mod:`deepfit_coach.yamlfile`), then flattened into :class:`PlannedSet` items so
the coach walks a simple list: exercise, set n of N, reps or duration, rest afterwards.
The format is documented in ``docs/plans.md``; ``plan_json_schema()`` is the same
contract for editors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from deepfit_coach.yamlfile import Checker, YamlDoc, YamlValidationError, load_yaml, loads_yaml

# ----------------------------------------------------------------------------- model


@dataclass(frozen=True)
class CueSettings:
    """What the coach says during a block (per block, defaults, or plan-wide)."""

    counts: bool = True          # "1", "2", ...
    encouragement: bool = True   # "two more", "last one", "halfway"
    form: bool = True            # form cues from the checker (safety cues are always spoken)
    tips: bool = True            # tempo and technique tips
    rest_countdown: bool = True  # "10 seconds", "3, 2, 1"


@dataclass(frozen=True)
class VoiceSettings:
    enabled: bool = True
    rate: int | None = None      # words per minute (engine default when None)
    volume: float | None = None  # 0..1
    voice: str | None = None     # engine voice id or part of its name


@dataclass(frozen=True)
class Tempo:
    """Target seconds for the lowering, the pause at the bottom and the lifting phase."""

    down_s: float
    hold_s: float
    up_s: float

    def __str__(self) -> str:
        return f"{self.down_s:g}-{self.hold_s:g}-{self.up_s:g}"


@dataclass(frozen=True)
class PlannedSet:
    """One set (or one circuit station in one round), in workout order."""

    block_index: int             # 0-based
    block_name: str
    exercise: str                # catalogue name
    display_name: str
    set_number: int              # 1-based: set n of N, or round n of N in circuits
    sets_total: int
    reps: int | None             # target reps, or None for a timed set
    duration_s: float | None     # timed set length
    rest_after_s: float          # rest after this set (0: go straight on)
    tempo: Tempo | None
    cues: CueSettings
    circuit: bool = False
    first_of_block: bool = False
    camera_advice: str = ""
    required_parts: tuple[str, ...] = ()
    spec: Any = None             # the catalogue's ExerciseSpec, when available
    progression: Any = None      # a progression.ProgressionRule: raise the target after good sessions

    @property
    def timed(self) -> bool:
        return self.duration_s is not None


@dataclass
class Plan:
    name: str
    description: str
    voice: VoiceSettings
    countdown_s: int
    sets: list[PlannedSet]
    file: str = "<plan>"
    block_names: list[str] = field(default_factory=list)

    @property
    def total_reps(self) -> int:
        return sum(s.reps or 0 for s in self.sets)

    def estimated_minutes(self, seconds_per_rep: float = 3.0) -> float:
        total = 0.0
        for s in self.sets:
            total += self.countdown_s + (s.duration_s if s.timed else (s.reps or 0) * seconds_per_rep) + s.rest_after_s
        return total / 60.0


# ----------------------------------------------------------------------------- catalogue adapter

@dataclass
class ExerciseInfo:
    """What plans need from the exercise catalogue."""

    name: str
    display_name: str
    camera_advice: str
    required_parts: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    spec: Any = None


def _info_from_spec(spec: Any) -> ExerciseInfo:
    parts = (getattr(spec, "required", None) or getattr(spec, "required_parts", None)
             or getattr(spec, "required_body_parts", None) or ())
    return ExerciseInfo(
        name=spec.name, display_name=getattr(spec, "display_name", None) or spec.name.replace("_", " "),
        camera_advice=getattr(spec, "camera_advice", "") or "",
        required_parts=tuple(parts), aliases=tuple(getattr(spec, "aliases", ()) or ()), spec=spec)


class ExerciseCatalogue:
    """Name/alias lookup over the catalogue's specs (``deepfit_coach.exercises``)."""

    def __init__(self, infos: list[ExerciseInfo], raw: Any = None) -> None:
        self.infos = {i.name: i for i in infos}
        self.raw = raw
        self.broken: set[str] = set()   # custom exercises that failed validation (already reported)
        self.unread_files: list[str] = []   # custom exercise files that could not be read (already reported)
        self.custom: set[str] = set()       # names of the custom exercises added
        self._alias: dict[str, str] = {}
        for info in infos:
            for key in (info.name, *info.aliases, info.display_name):
                self._alias[_norm(key)] = info.name

    @classmethod
    def load(cls) -> "ExerciseCatalogue":
        from deepfit_coach import exercises

        raw = exercises.load_catalogue()
        specs = list(raw.values()) if isinstance(raw, dict) else list(raw)
        return cls([_info_from_spec(s) for s in specs], raw)

    def names(self) -> list[str]:
        return list(self.infos)

    def find(self, name: str) -> ExerciseInfo | None:
        key = self._alias.get(_norm(name))
        return self.infos.get(key) if key else None

    def suggest(self, name: str) -> str:
        """did-you-mean over names and aliases, always naming the catalogue name."""
        import difflib

        close = difflib.get_close_matches(_norm(name), list(self._alias), n=1, cutoff=0.6)
        return f" (did you mean '{self._alias[close[0]]}'?)" if close else ""

    def add_custom(self, spec: Any) -> ExerciseInfo:
        info = _info_from_spec(spec)
        self.infos[info.name] = info
        self.custom.add(info.name)
        for key in (info.name, *info.aliases, info.display_name):
            self._alias[_norm(key)] = info.name
        return info


def _norm(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _expand_home(path: str) -> Path:
    """``~/x`` in the home folder; a ``~name`` of no user (pathlib raises) stays as written: "not found"."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        return Path(path)


def _load_custom_exercise(source: Any, base: Path, check: Checker, path: tuple, catalogue: ExerciseCatalogue) -> None:
    """Custom exercises are validated by the catalogue's own parser; its issues are merged."""
    from deepfit_coach.errors import UserError
    from deepfit_coach.exercises import load_exercise_file, parse_exercise
    from deepfit_coach.exercises.catalogue import check_not_builtin

    try:
        if isinstance(source, str):
            p = _expand_home(source)
            specs = load_exercise_file(p if p.is_absolute() else base / p)
        else:
            check_not_builtin(check, source, path)
            specs = [parse_exercise(source, check.doc, path)]
    except (YamlValidationError, UserError) as exc:
        if isinstance(exc, YamlValidationError):
            check.issues.extend(exc.issues)
        else:
            check.error(path, exc.message)
        if isinstance(source, dict) and isinstance(source.get("name"), str):
            catalogue.broken.add(_norm(source["name"]))  # no second "unknown exercise" error for it
        elif isinstance(source, str):
            catalogue.unread_files.append(source)        # its names are unknown: said with the error below
        return
    for spec in specs:
        if spec.name in catalogue.custom:   # (a built-in's name is refused above, by check_not_builtin)
            check.error(path, f"custom exercise '{spec.name}' is defined twice under exercises: keep one")
            continue
        catalogue.add_custom(spec)


# ----------------------------------------------------------------------------- validation

TOP_KEYS = ["name", "description", "voice", "countdown", "defaults", "exercises", "blocks"]
VOICE_KEYS = ["enabled", "rate", "volume", "voice"]
CUE_KEYS = ["counts", "encouragement", "form", "tips", "rest_countdown"]
SET_KEYS = ["sets", "reps", "duration", "rest", "rest_after", "tempo", "cues", "progression"]
DEFAULT_KEYS = SET_KEYS
BLOCK_KEYS = ["name", "exercise"] + SET_KEYS
CIRCUIT_KEYS = ["name", "circuit", "superset", "rounds", "rest", "rest_after_round", "rest_after", "tempo", "cues",
                "progression"]
STATION_KEYS = ["exercise", "reps", "duration", "rest", "tempo", "cues", "progression"]

LIMITS = {"sets": 50, "reps": 500, "duration": 3600, "rest": 1800, "rest_after": 3600,
          "rest_after_round": 1800, "rounds": 50, "countdown": 60}
BUILTIN_DEFAULTS = {"sets": 3, "reps": 10, "rest": 60, "rest_after": 90}
_TEMPO_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$")


class _PlanChecker(Checker):
    """Names values the way a plan author sees them: ``rest``, ``defaults.rest``, ``voice.rate``."""

    @staticmethod
    def label(path) -> str:
        path = tuple(path)
        if not path:
            return "file"
        last = path[-1]
        if isinstance(last, int):
            return f"item {last + 1} of {path[-2]}" if len(path) > 1 else f"item {last + 1}"
        if len(path) > 1 and isinstance(path[-2], str) and path[-2] not in ("blocks", "circuit", "superset"):
            return f"{path[-2]}.{last}"
        return str(last)


class _Validator:
    def __init__(self, doc: YamlDoc, catalogue: ExerciseCatalogue) -> None:
        self.doc = doc
        self.check = _PlanChecker(doc)
        self.catalogue = catalogue

    # small typed getters: report and return a fallback so validation continues
    def _int(self, path: tuple, value: Any, name: str, minimum: int = 0) -> int | None:
        ok = self.check.number(path, value, integer=True, minimum=minimum, maximum=LIMITS.get(name))
        return value if ok else None

    def _seconds(self, path: tuple, value: Any, name: str) -> float | None:
        # a timed set of 0 s has no target at all (it ran as a set with neither reps nor seconds); a rest may be 0
        ok = self.check.number(path, value, minimum=0, maximum=LIMITS.get(name), unit="seconds",
                               exclusive_minimum=name == "duration")
        return float(value) if ok else None

    def cues(self, path: tuple, value: Any, base: CueSettings) -> CueSettings:
        if isinstance(value, bool):  # cues: false mutes everything but safety cues
            return CueSettings(*(value,) * len(CUE_KEYS))
        if not self.check.mapping(path, value, "cues"):
            return base
        self.check.keys(path, value, CUE_KEYS, what="cues")
        out = {}
        for key in CUE_KEYS:
            if key in value and self.check.boolean(path + (key,), value[key]):
                out[key] = value[key]
        return replace(base, **out)

    def tempo(self, path: tuple, value: Any) -> Tempo | None:
        if value is None:
            return None
        if isinstance(value, dict):
            self.check.keys(path, value, ["down", "hold", "up"], what="tempo")
            nums = []
            for key in ("down", "hold", "up"):
                v = value.get(key, 0)
                nums.append(float(v) if self.check.number(path + (key,), v, minimum=0, maximum=30) else 0.0)
            return Tempo(*nums)
        if isinstance(value, str):
            m = _TEMPO_RE.match(value)
            if m:
                nums = [float(g) for g in m.groups()]
                if all(n <= 30 for n in nums):
                    return Tempo(*nums)
        self.check.error(path, "tempo must be 'down-hold-up' seconds like \"3-1-1\", each at most 30, got "
                               + (f"'{value}'" if isinstance(value, str) else str(value)))
        return None

    def progression(self, path: tuple, value: Any) -> Any:
        """``progression:`` rules are defined (and checked) by deepfit_coach.progression."""
        from deepfit_coach.progression import ProgressionRule, ProgressionRuleError

        try:
            return ProgressionRule.from_dict(value)
        except ProgressionRuleError as exc:
            for message, key in exc.problems:
                at_key = isinstance(value, dict) and key in value
                self.check.error(path + ((key,) if at_key else ()), message, key=at_key and "unknown" in message)
            return None

    def rule_fits(self, path: tuple, rule: Any, reps: int | None, duration: float | None) -> None:
        """A block's own ``progression:`` must be able to raise its target: ``add_seconds`` for a timed
        block, ``add_reps`` for a rep block (and the matching cap); else it was silently ignored."""
        if rule is None or (reps is None) == (duration is None):
            return
        timed = reps is None
        step, other, cap, wrong_cap = (("add_seconds", "add_reps", "max_seconds", "max_reps") if timed else
                                       ("add_reps", "add_seconds", "max_reps", "max_seconds"))
        kind = "timed (duration:)" if timed else "counted in reps"
        if not getattr(rule, step):
            self.check.error(path + ((other,) if getattr(rule, other) else ()),
                             f"this block is {kind}: its progression needs {step}" +
                             (f", not {other}" if getattr(rule, other) else ""), key=bool(getattr(rule, other)))
        if getattr(rule, wrong_cap) is not None:
            self.check.error(path + (wrong_cap,), f"this block is {kind}: use {cap}, not {wrong_cap}", key=True)

    def exercise(self, path: tuple, value: Any) -> ExerciseInfo | None:
        if not isinstance(value, str) or not value.strip():
            self.check.error(path, f"exercise must be an exercise name like 'squats', got {_tn(value)}")
            return None
        info = self.catalogue.find(value)
        if info is None and _norm(value) in self.catalogue.broken:
            return None
        if info is None:
            hint = self.catalogue.suggest(value)
            if self.catalogue.unread_files:   # perhaps defined there: said first, a built-in's name may mislead
                close = f"; or {hint.strip(' ()')}" if hint else ""
                hint = f" (if {self.catalogue.unread_files[0]} defines it, fix that file first{close})"
            hint = hint or " (see `deepfit-coach exercises` for the list)"
            self.check.error(path, f"unknown exercise '{value}'{hint}")
        return info

    def amount(self, path: tuple, block: dict, defaults: dict) -> tuple[int | None, float | None]:
        """reps or duration: exactly one; the block's own beats the defaults."""
        if "reps" in block and "duration" in block:
            self.check.error(path + ("duration",), "give either reps or duration, not both", key=True)
            self._int(path + ("reps",), block["reps"], "reps", minimum=1)
        if "duration" in block:
            return None, self._seconds(path + ("duration",), block["duration"], "duration")
        if "reps" in block:
            reps = self._int(path + ("reps",), block["reps"], "reps", minimum=1)
            return reps, None
        if defaults.get("duration") is not None and "reps" not in defaults:
            return None, defaults["duration"]
        return defaults.get("reps", BUILTIN_DEFAULTS["reps"]), None

    def run(self) -> Plan:
        c, data = self.check, self.doc.data
        if data is None:
            c.error((), "the plan is empty; start from `deepfit-coach new plan.yaml`")
            c.raise_if_any()
        if not c.mapping((), data, "a workout plan"):
            c.raise_if_any()
        c.keys((), data, TOP_KEYS, required=["name", "blocks"], what="the plan")
        name = data.get("name", "")
        if "name" in data and not c.text(("name",), name):
            name = ""
        description = data.get("description") or ""
        if "description" in data and data["description"] is not None and not c.text(("description",), description, non_empty=False):
            description = ""

        voice = VoiceSettings()
        if "voice" in data:
            voice = self.voice(("voice",), data["voice"])
        countdown = 5
        if "countdown" in data:
            countdown = self._int(("countdown",), data["countdown"], "countdown") or 0

        base = Path(self.doc.file).parent if self.doc.file not in ("<string>", "<plan>") else Path(".")
        if "exercises" in data and c.sequence(("exercises",), data["exercises"], "exercises"):
            for i, item in enumerate(data["exercises"]):
                if isinstance(item, (str, dict)):
                    _load_custom_exercise(item, base, c, ("exercises", i), self.catalogue)
                else:
                    c.error(("exercises", i), f"each custom exercise is a file path or a mapping, got {_tn(item)}")

        defaults: dict[str, Any] = dict(BUILTIN_DEFAULTS)
        default_cues, default_tempo = CueSettings(), None
        if "defaults" in data and c.mapping(("defaults",), data["defaults"], "defaults"):
            d = data["defaults"]
            c.keys(("defaults",), d, DEFAULT_KEYS, what="defaults")
            for key in ("sets",):
                if key in d:
                    v = self._int(("defaults", key), d[key], key, minimum=1)
                    if v is not None:
                        defaults[key] = v
            if "reps" in d:
                v = self._int(("defaults", "reps"), d["reps"], "reps", minimum=1)
                if v is not None:
                    defaults["reps"] = v
            if "reps" in d and "duration" in d:
                c.error(("defaults", "duration"), "give either reps or duration in defaults, not both", key=True)
            if "duration" in d:
                v = self._seconds(("defaults", "duration"), d["duration"], "duration")
                if v is not None:
                    defaults["duration"] = v
                    if "reps" not in d:
                        defaults.pop("reps", None)
            for key in ("rest", "rest_after"):
                if key in d:
                    v = self._seconds(("defaults", key), d[key], key)
                    if v is not None:
                        defaults[key] = v
            if "cues" in d:
                default_cues = self.cues(("defaults", "cues"), d["cues"], default_cues)
            if "tempo" in d:
                default_tempo = self.tempo(("defaults", "tempo"), d["tempo"])
            if "progression" in d:
                defaults["progression"] = self.progression(("defaults", "progression"), d["progression"])

        sets: list[PlannedSet] = []
        block_names: list[str] = []
        if "blocks" in data and c.sequence(("blocks",), data["blocks"], "blocks", non_empty=True):
            blocks = data["blocks"]
            for bi, block in enumerate(blocks):
                path = ("blocks", bi)
                if isinstance(block, str):
                    c.error(path, f"block {bi + 1} is just text '{block}'; write it as '- exercise: {block}'")
                    continue
                if not c.mapping(path, block, f"block {bi + 1}"):
                    continue
                last_block = bi == len(blocks) - 1
                if "circuit" in block or "superset" in block:
                    new = self.circuit(path, bi, block, defaults, default_cues, default_tempo, last_block)
                else:
                    new = self.single(path, bi, block, defaults, default_cues, default_tempo, last_block)
                block_names.append(new[0].block_name if new else f"Block {bi + 1}")
                sets.extend(new)
        c.raise_if_any()
        return Plan(name=name, description=description.strip(), voice=voice, countdown_s=countdown,
                    sets=sets, file=self.doc.file, block_names=block_names)

    def voice(self, path: tuple, value: Any) -> VoiceSettings:
        c = self.check
        if isinstance(value, bool):
            return VoiceSettings(enabled=value)
        if not c.mapping(path, value, "voice"):
            return VoiceSettings()
        c.keys(path, value, VOICE_KEYS, what="voice")
        out: dict[str, Any] = {}
        if "enabled" in value and c.boolean(path + ("enabled",), value["enabled"]):
            out["enabled"] = value["enabled"]
        if "rate" in value and c.number(path + ("rate",), value["rate"], integer=True, minimum=50, maximum=400,
                                        unit="words per minute"):
            out["rate"] = value["rate"]
        if "volume" in value and c.number(path + ("volume",), value["volume"], minimum=0, maximum=1):
            out["volume"] = float(value["volume"])
        if "voice" in value and value["voice"] is not None and c.text(path + ("voice",), value["voice"]):
            out["voice"] = value["voice"]
        return VoiceSettings(**out)

    def single(self, path: tuple, bi: int, block: dict, defaults: dict, default_cues: CueSettings,
               default_tempo: Tempo | None, last_block: bool) -> list[PlannedSet]:
        c = self.check
        if "rounds" in block and "exercise" in block:
            c.error(path + ("rounds",), "'rounds' belongs to circuits; use 'sets' for a single exercise", key=True)
        c.keys(path, block, BLOCK_KEYS + (["rounds"] if "rounds" in block else []), required=["exercise"],
               what=f"block {bi + 1}")
        info = self.exercise(path + ("exercise",), block["exercise"]) if "exercise" in block else None
        n_sets = defaults["sets"]
        if "sets" in block:
            n_sets = self._int(path + ("sets",), block["sets"], "sets", minimum=1) or 1
        reps, duration = self.amount(path, block, defaults)
        rest = self._seconds(path + ("rest",), block["rest"], "rest") if "rest" in block else defaults["rest"]
        rest_after = (self._seconds(path + ("rest_after",), block["rest_after"], "rest_after")
                      if "rest_after" in block else defaults["rest_after"])
        tempo = self.tempo(path + ("tempo",), block["tempo"]) if "tempo" in block else default_tempo
        cues = self.cues(path + ("cues",), block["cues"], default_cues) if "cues" in block else default_cues
        rule = (self.progression(path + ("progression",), block["progression"]) if "progression" in block
                else defaults.get("progression"))
        if "progression" in block:
            self.rule_fits(path + ("progression",), rule, reps, duration)
        name = self._block_name(path, block, info, bi)
        if info is None:
            return []
        out = []
        for s in range(1, n_sets + 1):
            last_set = s == n_sets
            rest_s = float((0.0 if last_block else (rest_after or 0.0)) if last_set else (rest or 0.0))
            out.append(PlannedSet(block_index=bi, block_name=name, exercise=info.name, display_name=info.display_name,
                                  set_number=s, sets_total=n_sets, reps=reps, duration_s=duration, rest_after_s=rest_s,
                                  tempo=tempo, cues=cues, first_of_block=s == 1, camera_advice=info.camera_advice,
                                  required_parts=info.required_parts, spec=info.spec, progression=rule))
        return out

    def _block_name(self, path: tuple, block: dict, info: ExerciseInfo | None, bi: int) -> str:
        if "name" in block and self.check.text(path + ("name",), block["name"]):
            return block["name"]
        return info.display_name if info else f"Block {bi + 1}"

    def circuit(self, path: tuple, bi: int, block: dict, defaults: dict, default_cues: CueSettings,
                default_tempo: Tempo | None, last_block: bool) -> list[PlannedSet]:
        c = self.check
        key = "circuit" if "circuit" in block else "superset"
        if "circuit" in block and "superset" in block:
            c.error(path + ("superset",), "give either 'circuit' or 'superset', not both", key=True)
        if "sets" in block:
            c.error(path + ("sets",), "circuits repeat in 'rounds', not 'sets'", key=True)
        if "exercise" in block:
            c.error(path + ("exercise",), "a circuit lists its exercises under 'circuit:'; remove 'exercise'", key=True)
        c.keys(path, {k: v for k, v in block.items() if k not in ("sets", "exercise")}, CIRCUIT_KEYS,
               what=f"circuit block {bi + 1}")
        rounds = self._int(path + ("rounds",), block["rounds"], "rounds", minimum=1) if "rounds" in block else None
        rounds = rounds or (defaults["sets"] if "rounds" not in block else 1)
        rest = self._seconds(path + ("rest",), block["rest"], "rest") if "rest" in block else 0.0
        rest_round = (self._seconds(path + ("rest_after_round",), block["rest_after_round"], "rest_after_round")
                      if "rest_after_round" in block else defaults["rest"])
        rest_after = (self._seconds(path + ("rest_after",), block["rest_after"], "rest_after")
                      if "rest_after" in block else defaults["rest_after"])
        block_tempo = self.tempo(path + ("tempo",), block["tempo"]) if "tempo" in block else default_tempo
        block_cues = self.cues(path + ("cues",), block["cues"], default_cues) if "cues" in block else default_cues
        block_rule = (self.progression(path + ("progression",), block["progression"]) if "progression" in block
                      else defaults.get("progression"))
        stations_raw = block[key]
        stations: list[tuple] = []
        spath = path + (key,)
        if c.sequence(spath, stations_raw, key, non_empty=True):
            if len(stations_raw) < 2:
                c.error(spath, f"a {key} needs at least two exercises; use a plain block for one")
            for si, st in enumerate(stations_raw):
                p = spath + (si,)
                if isinstance(st, str):
                    st = {"exercise": st}
                    self.doc.value_pos.setdefault(p + ("exercise",), self.doc.where(p))
                if not c.mapping(p, st, f"{key} exercise {si + 1}"):
                    continue
                c.keys(p, st, STATION_KEYS, required=["exercise"], what=f"{key} exercise {si + 1}")
                info = self.exercise(p + ("exercise",), st["exercise"]) if "exercise" in st else None
                reps, duration = self.amount(p, st, defaults)
                st_rest = self._seconds(p + ("rest",), st["rest"], "rest") if "rest" in st else rest
                tempo = self.tempo(p + ("tempo",), st["tempo"]) if "tempo" in st else block_tempo
                cues = self.cues(p + ("cues",), st["cues"], block_cues) if "cues" in st else block_cues
                rule = self.progression(p + ("progression",), st["progression"]) if "progression" in st else block_rule
                if "progression" in st:
                    self.rule_fits(p + ("progression",), rule, reps, duration)
                if info is not None:
                    stations.append((info, reps, duration, st_rest or 0.0, tempo, cues, rule))
        name = block.get("name") if isinstance(block.get("name"), str) and block.get("name").strip() else \
            ("Superset" if key == "superset" else "Circuit") + f" {bi + 1}"
        if "name" in block:
            c.text(path + ("name",), block["name"])
        out = []
        for r in range(1, rounds + 1):
            for si, (info, reps, duration, st_rest, tempo, cues, rule) in enumerate(stations):
                last_station = si == len(stations) - 1
                if not last_station:
                    rest_s = st_rest
                elif r < rounds:
                    rest_s = rest_round or 0.0
                else:
                    rest_s = 0.0 if last_block else (rest_after or 0.0)
                out.append(PlannedSet(block_index=bi, block_name=name, exercise=info.name,
                                      display_name=info.display_name, set_number=r, sets_total=rounds, reps=reps,
                                      duration_s=duration, rest_after_s=float(rest_s), tempo=tempo, cues=cues, circuit=True,
                                      first_of_block=(r == 1 and si == 0), camera_advice=info.camera_advice,
                                      required_parts=info.required_parts, spec=info.spec, progression=rule))
        return out


def _tn(value: Any) -> str:
    from deepfit_coach.yamlfile import type_name

    return type_name(value)


def load_plan(path: str | Path, catalogue: ExerciseCatalogue | None = None) -> Plan:
    """Read and validate a plan file; raises ``YamlValidationError`` listing every problem."""
    doc = load_yaml(path)
    return _Validator(doc, catalogue or ExerciseCatalogue.load()).run()


def loads_plan(text: str, file: str = "<plan>", catalogue: ExerciseCatalogue | None = None) -> Plan:
    doc = loads_yaml(text, file)
    return _Validator(doc, catalogue or ExerciseCatalogue.load()).run()


def plan_from_exercise(exercise: str, reps: int | None = 10, sets: int = 1, duration_s: float | None = None,
                       catalogue: ExerciseCatalogue | None = None) -> Plan:
    """A one-block plan, for quick sessions without a file."""
    text = {"name": exercise, "countdown": 3, "blocks": [{"exercise": exercise, "sets": sets, "rest": 30}]}
    if duration_s is not None:
        text["blocks"][0]["duration"] = duration_s
    else:
        text["blocks"][0]["reps"] = reps
    import yaml

    return loads_plan(yaml.safe_dump(text), file="<quick plan>", catalogue=catalogue)


# ----------------------------------------------------------------------------- JSON Schema

def plan_json_schema(exercise_names: list[str] | None = None) -> dict:
    """JSON Schema (draft 2020-12) of the plan format, for editors (yaml-language-server)."""
    names = list(exercise_names or [])
    exercise = {"description": "An exercise from `deepfit-coach exercises` (name or alias), or a custom one "
                               "declared under `exercises:`.",
                "anyOf": ([{"enum": names}] if names else []) + [{"type": "string", "minLength": 1}]}
    seconds = {"type": "number", "minimum": 0}
    tempo = {"description": "Target seconds down-hold-up, e.g. \"3-1-1\"",
             "oneOf": [{"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*-\s*\d+(\.\d+)?\s*-\s*\d+(\.\d+)?\s*$"},
                       {"type": "object", "additionalProperties": False,
                        "properties": {k: {"type": "number", "minimum": 0, "maximum": 30} for k in ("down", "hold", "up")}}]}
    cues = {"oneOf": [{"type": "boolean"}, {
        "type": "object", "additionalProperties": False,
        "properties": {k: {"type": "boolean"} for k in CUE_KEYS}}],
        "description": "What the coach says: counts, encouragement ('two more'), form, tips, rest_countdown. "
                       "Safety cues are always spoken."}
    amount = {
        "reps": {"type": "integer", "minimum": 1, "maximum": LIMITS["reps"], "description": "Target reps per set"},
        "duration": dict(seconds, maximum=LIMITS["duration"], description="Timed set length in seconds (instead of reps)"),
    }
    try:
        from deepfit_coach.progression import PROGRESSION_SCHEMA as progression
    except ImportError:  # pragma: no cover
        progression = {"type": "object"}
    set_props = {
        "progression": progression,
        "sets": {"type": "integer", "minimum": 1, "maximum": LIMITS["sets"]},
        **amount,
        "rest": dict(seconds, maximum=LIMITS["rest"], description="Rest after each set, seconds"),
        "rest_after": dict(seconds, maximum=LIMITS["rest_after"], description="Rest after the block, seconds"),
        "tempo": tempo, "cues": cues,
    }
    station = {"oneOf": [exercise, {"type": "object", "additionalProperties": False, "required": ["exercise"],
                                    "properties": {"exercise": exercise, **amount, "rest": set_props["rest"],
                                                   "tempo": tempo, "cues": cues, "progression": progression}}]}
    single = {"type": "object", "additionalProperties": False, "required": ["exercise"],
              "properties": {"name": {"type": "string"}, "exercise": exercise, **set_props}}
    stations = {"type": "array", "minItems": 2, "items": station}
    circuit_props = {
        "name": {"type": "string"},
        "rounds": {"type": "integer", "minimum": 1, "maximum": LIMITS["rounds"]},
        "rest": dict(seconds, description="Rest between the exercises of a round"),
        "rest_after_round": dict(seconds, maximum=LIMITS["rest_after_round"]),
        "rest_after": set_props["rest_after"], "tempo": tempo, "cues": cues, "progression": progression,
    }
    circuit = {"type": "object", "additionalProperties": False, "required": ["circuit"],
               "properties": dict(circuit_props, circuit=stations)}
    superset = {"type": "object", "additionalProperties": False, "required": ["superset"],
                "properties": dict(circuit_props, superset=stations)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://deepfit-coach.invalid/plan.schema.json",
        "title": "deepfit-coach workout plan",
        "type": "object", "additionalProperties": False, "required": ["name", "blocks"],
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "description": {"type": "string"},
            "voice": {"oneOf": [{"type": "boolean"}, {
                "type": "object", "additionalProperties": False,
                "properties": {"enabled": {"type": "boolean"},
                               "rate": {"type": "integer", "minimum": 50, "maximum": 400},
                               "volume": {"type": "number", "minimum": 0, "maximum": 1},
                               "voice": {"type": ["string", "null"]}}}]},
            "countdown": {"type": "integer", "minimum": 0, "maximum": LIMITS["countdown"]},
            "defaults": {"type": "object", "additionalProperties": False, "properties": set_props},
            "exercises": {"type": "array", "description": "Custom exercises: YAML file paths or inline definitions",
                          "items": {"oneOf": [{"type": "string"}, {"type": "object"}]}},
            "blocks": {"type": "array", "minItems": 1, "items": {"oneOf": [single, circuit, superset]}},
        },
    }
