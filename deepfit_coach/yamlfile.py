"""YAML files users write by hand (workout plans, custom exercises), with exact positions.

PyYAML's composer keeps the line and column of every node; we turn the node tree into
plain Python data plus a map from *path* (tuple of keys and list indices) to position, so
validators can work on ordinary dicts and still say ``plan.yaml:12:7: unknown key 'rest'``.

Validators collect every problem in a :class:`Checker` and raise one
:class:`YamlValidationError` with all of them, so the user fixes a file in one go.
Malformed YAML itself becomes a single ``file:line:col: message`` issue.

Usage::

    doc = load_yaml("plan.yaml")
    check = Checker(doc)
    if check.mapping((), doc.data):
        check.keys((), doc.data, allowed=["name", "blocks"], required=["blocks"])
        check.number(("rest",), doc.data.get("rest"), minimum=0)
    check.raise_if_any()
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from deepfit_coach.errors import UserError

@dataclass(frozen=True, order=True)
class Issue:
    """One problem in a file, 1-based line and column."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class YamlValidationError(UserError):
    """Every problem found in one file; exit code 1 (invalid input file)."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = sorted(issues)
        lines = [str(i) for i in self.issues]
        n = len(lines)
        if n > 1:
            lines.append(f"{n} problems found")
        super().__init__("\n".join(lines), exit_code=1)


@dataclass
class YamlDoc:
    """Plain data loaded from a YAML file plus where each key and value was written."""

    file: str
    data: Any
    value_pos: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_pos: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    text: str = ""

    def where(self, path: Iterable = (), *, key: bool = False) -> tuple[int, int]:
        """(line, column) of the value at ``path`` (or of its key), falling back to the
        nearest enclosing node that has a position."""
        path = tuple(path)
        while True:
            table = self.key_pos if key else self.value_pos
            if path in table:
                return table[path]
            if key and path in self.value_pos:
                return self.value_pos[path]
            if not path:
                return (1, 1)
            path = path[:-1]
            key = False

    def issue(self, path: Iterable, message: str, *, key: bool = False) -> Issue:
        line, col = self.where(path, key=key)
        return Issue(self.file, line, col, message)


def closest(word: Any, choices: Iterable[str]) -> str | None:
    """The choice ``word`` was most likely meant to be (case ignored), or None."""
    if not isinstance(word, str):
        return None
    lower = {c.lower(): c for c in choices}
    swapped = [c for c in lower if sorted(c) == sorted(word.lower()) and c != word.lower()]
    if swapped:  # two letters swapped ("rset" -> "rest") beats a merely similar word
        return lower[swapped[0]]
    close = difflib.get_close_matches(word.lower(), list(lower), n=1, cutoff=0.6)
    return lower[close[0]] if close else None


def did_you_mean(word: Any, choices: Iterable[str]) -> str:
    """`` (did you mean 'squats'?)`` or an empty string."""
    best = closest(word, choices)
    return f" (did you mean '{best}'?)" if best is not None else ""


def _num(value: float | int) -> str:
    """A number as it was written: 1000000 (not 1e+06), and 10.0 where a whole number was wanted."""
    if isinstance(value, int):
        return str(value)
    return repr(value) if value.is_integer() and abs(value) < 1e16 else f"{value:g}"


# PyYAML's syntax errors, with what a person editing the file should look at
YAML_HINTS = (
    ("found character '\\t'", "a tab character: indent with spaces, not tabs"),
    ("found character '\t'", "a tab character: indent with spaces, not tabs"),
    ("mapping values are not allowed here", "check this line's indentation, and put text holding ': ' in quotes"),
    ("expected <block end>", "this line is indented differently from the lines above it"),
    ("could not find expected ':'", "a line with no 'key: value' (a missing ':' or a wrongly indented line?)"),
    ("did not find expected key", "this line is indented differently from the lines above it"),
    ("found undefined alias", "'*' starts a YAML alias: put text starting with '*' in quotes"),
    ("found unexpected end of stream", "a quote or bracket opened and never closed"),
)


def _hint(problem: str) -> str:
    return next((hint for key, hint in YAML_HINTS if key in problem), "")


def type_name(value: Any) -> str:
    """How a YAML user would call this value's type."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# --------------------------------------------------------------------------- loading

_MAX_DEPTH = 64
_EXPONENT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+")


class _Builder:
    """Node tree -> plain data, recording positions and structural problems."""

    def __init__(self, file: str, loader: yaml.SafeLoader) -> None:
        self.file = file
        self.loader = loader
        self.value_pos: dict[tuple, tuple[int, int]] = {}
        self.key_pos: dict[tuple, tuple[int, int]] = {}
        self.issues: list[Issue] = []

    @staticmethod
    def _pos(node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def build(self, node: yaml.Node, path: tuple, depth: int = 0, active: frozenset = frozenset()) -> Any:
        self.value_pos[path] = self._pos(node)
        if depth > _MAX_DEPTH or id(node) in active:
            line, col = self._pos(node)
            self.issues.append(Issue(self.file, line, col, "structure is nested too deeply (recursive alias?)"))
            return None
        active = active | {id(node)}
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)  # resolves '<<' merge keys
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                line, col = self._pos(key_node)
                if not isinstance(key_node, yaml.ScalarNode):
                    self.issues.append(Issue(self.file, line, col, "keys must be plain words, not lists or mappings"))
                    continue
                key = self._scalar(key_node)
                try:
                    hash(key)
                except TypeError:
                    self.issues.append(Issue(self.file, line, col, "keys must be plain words"))
                    continue
                if key in out:
                    self.issues.append(Issue(self.file, line, col, f"duplicate key '{key}'"))
                    continue
                self.key_pos[path + (key,)] = (line, col)
                out[key] = self.build(value_node, path + (key,), depth + 1, active)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1, active) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            line, col = self._pos(node)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.issues.append(Issue(self.file, line, col, problem))
            return None
        except (ValueError, OverflowError) as exc:  # e.g. an impossible timestamp
            line, col = self._pos(node)
            self.issues.append(Issue(self.file, line, col, f"cannot read value: {exc}"))
            return None
        if isinstance(value, (bytes, bytearray)):
            return None
        if isinstance(value, str) and node.style is None and _EXPONENT.fullmatch(value):
            return float(value)   # YAML 1.1 reads an unquoted 1e9 as text (it wants 1.0e+9); people mean the number
        if hasattr(value, "isoformat") and not isinstance(value, str):  # dates: keep as text
            return str(node.value)
        if isinstance(value, float) and not math.isfinite(value):
            return value
        return value


def _yaml_error_issue(file: str, exc: yaml.YAMLError) -> Issue:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem and (hint := _hint(problem)):   # PyYAML's own words ("but found '?'") puzzle more than help
        message = f"invalid YAML: {hint}"
    elif problem:
        message = f"invalid YAML: {problem}"
        if context and "document" not in problem:
            message += f" ({context})"
    else:
        message = f"invalid YAML: {str(exc).splitlines()[0]}"
    return Issue(file, line, col, message)


def _reader_issue(file: str, text: str, exc: yaml.reader.ReaderError) -> Issue:
    pos = max(0, min(int(getattr(exc, "position", 0) or 0), len(text)))
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    char = getattr(exc, "character", None)
    what = f"character U+{char:04X}" if isinstance(char, int) else "a special character"
    return Issue(file, line, col, f"invalid YAML: {what} is not allowed in YAML files")


def loads_yaml(text: str, file: str = "<string>") -> YamlDoc:
    """Parse ``text``; malformed YAML raises :class:`YamlValidationError` with one issue."""
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # raised while checking the first characters
        raise YamlValidationError([_reader_issue(file, text, exc)]) from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.reader.ReaderError as exc:
            raise YamlValidationError([_reader_issue(file, text, exc)]) from None
        except yaml.YAMLError as exc:
            raise YamlValidationError([_yaml_error_issue(file, exc)]) from None
        except RecursionError:
            raise YamlValidationError([Issue(file, 1, 1, "invalid YAML: nested too deeply")]) from None
        builder = _Builder(file, loader)
        data = None if node is None else builder.build(node, ())
    finally:
        loader.dispose()
    if builder.issues:
        raise YamlValidationError(builder.issues)
    return YamlDoc(file, data, builder.value_pos, builder.key_pos, text=text)


def _nearby_yaml(p: Path) -> str:
    """' (did you mean 'plan.yaml'?)' for a YAML file beside the missing one with a close name."""
    try:
        names = [f.name for f in p.parent.iterdir() if f.suffix.lower() in (".yaml", ".yml") and f.is_file()]
    except OSError:
        return ""
    close = difflib.get_close_matches(p.name, names, n=1, cutoff=0.75)
    return f" (did you mean '{p.with_name(close[0])}'?)" if close else ""


def load_yaml(path: str | Path) -> YamlDoc:
    """Read and parse a YAML file. A missing file is a :class:`UserError` (exit 1)."""
    p = Path(path)
    name = str(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{name}: file not found{_nearby_yaml(p)}", exit_code=1) from None
    except IsADirectoryError:
        raise UserError(f"{name}: is a directory, expected a YAML file", exit_code=1) from None
    except OSError as exc:
        raise UserError(f"{name}: cannot read: {exc.strerror or exc}", exit_code=1) from None
    except ValueError:   # a NUL in the name: no file system has such a file
        raise UserError(f"{name!r}: not a file name (it holds a NUL character)", exit_code=1) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlValidationError([Issue(name, line, col, "file is not UTF-8 text: save it as UTF-8 in your editor")]) from None
    return loads_yaml(text, name)


# --------------------------------------------------------------------------- checking

class Checker:
    """Collects issues against a :class:`YamlDoc`; the ``check`` helpers return whether the
    value was acceptable so callers can skip deeper checks of a broken value."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.issues: list[Issue] = []

    def error(self, path: Iterable, message: str, *, key: bool = False) -> None:
        self.issues.append(self.doc.issue(path, message, key=key))

    @staticmethod
    def label(path: Iterable) -> str:
        """A readable name for a path: ``blocks[2].sets``."""
        out = ""
        for part in path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out or "file"

    def mapping(self, path: tuple, value: Any, what: str | None = None) -> bool:
        if isinstance(value, dict):
            return True
        self.error(path, f"{what or self.label(path)} must be a mapping (key: value lines), got {type_name(value)}")
        return False

    def sequence(self, path: tuple, value: Any, what: str | None = None, *, non_empty: bool = False) -> bool:
        if not isinstance(value, list):
            self.error(path, f"{what or self.label(path)} must be a list ('- ' items), got {type_name(value)}")
            return False
        if non_empty and not value:
            self.error(path, f"{what or self.label(path)} must not be empty")
            return False
        return True

    def keys(self, path: tuple, mapping: dict, allowed: Iterable[str], required: Iterable[str] = (),
             what: str | None = None) -> bool:
        """Unknown keys (with did-you-mean) and missing required keys."""
        allowed = list(allowed)
        ok = True
        meant = set()   # required keys a misspelt one stands for: its "did you mean" says it, once
        for key in mapping:
            if key not in allowed:
                where = f" in {what}" if what else ""
                self.error(path + (key,), f"unknown key '{key}'{where}{did_you_mean(key, allowed)}", key=True)
                meant.add(closest(key, allowed))
                ok = False
        for key in required:
            if key not in mapping and key not in meant:
                where = what or self.label(path)
                self.error(path, f"{where} is missing required key '{key}'")
                ok = False
        return ok

    def text(self, path: tuple, value: Any, *, non_empty: bool = True) -> bool:
        if not isinstance(value, str):
            self.error(path, f"{self.label(path)} must be text, got {type_name(value)}")
            return False
        if non_empty and not value.strip():
            self.error(path, f"{self.label(path)} must not be empty")
            return False
        return True

    def boolean(self, path: tuple, value: Any) -> bool:
        if isinstance(value, bool):
            return True
        self.error(path, f"{self.label(path)} must be true or false, got {type_name(value)}")
        return False

    def number(self, path: tuple, value: Any, *, integer: bool = False, minimum: float | None = 0,
               maximum: float | None = None, exclusive_minimum: bool = False, unit: str = "") -> bool:
        """A number (int when ``integer``) within range; booleans are not numbers."""
        name = self.label(path)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            kind = "a whole number" if integer else "a number"
            shown = f" '{value}'" if isinstance(value, str) else (f" {_num(value)}" if isinstance(value, float) else "")
            self.error(path, f"{name} must be {kind}{unit and ' of ' + unit}, got {type_name(value)}{shown}")
            return False
        if isinstance(value, float) and not math.isfinite(value):
            self.error(path, f"{name} must be a finite number")
            return False
        if minimum is not None:
            if exclusive_minimum and value <= minimum:
                self.error(path, f"{name} must be greater than {minimum:g}, got {_num(value)}")
                return False
            if value < minimum:
                word = "negative" if minimum == 0 else f"less than {minimum:g}"
                self.error(path, f"{name} must not be {word}, got {_num(value)}")
                return False
        if maximum is not None and value > maximum:
            self.error(path, f"{name} must be at most {maximum:g}, got {_num(value)}")
            return False
        return True

    def choice(self, path: tuple, value: Any, choices: Iterable[str]) -> bool:
        choices = list(choices)
        if isinstance(value, str) and value in choices:
            return True
        shown = ", ".join(f"'{c}'" for c in choices)
        self.error(path, f"{self.label(path)} must be one of {shown}, got "
                   + (f"'{value}'{did_you_mean(value, choices)}" if isinstance(value, str) else type_name(value)))
        return False

    def raise_if_any(self) -> None:
        if self.issues:
            raise YamlValidationError(self.issues)
