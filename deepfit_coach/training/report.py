"""Write the classifier's numbers into BENCHMARKS.md (only its own section)."""

from __future__ import annotations

import re
from pathlib import Path

HEADING = "## Exercise classifier"
REPO = Path(__file__).resolve().parents[2]


def replace_section(text: str, heading: str, body: str, before: str | None = None) -> str:
    """Replace the section starting at ``heading`` up to the next ``## ``; a new one goes just
    before the ``before`` heading where the text has it, else at the end."""
    block = f"{heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^{re.escape(heading)}\s*$.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        return pattern.sub(lambda _: block + "\n", text, count=1).rstrip() + "\n"
    nxt = re.search(rf"^{re.escape(before)}\s*$", text, re.M) if before else None
    if nxt:
        return text[:nxt.start()] + block + "\n" + text[nxt.start():]
    sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    return (text + sep + block).lstrip("\n")


def write_section(heading: str, text: str, before: str | None = None, path: Path | None = None) -> Path:
    """Put ``text`` (with or without its ``heading`` line) as the ``heading`` section of
    BENCHMARKS.md, a new section just before the ``before`` heading (see replace_section)."""
    path = path or REPO / "BENCHMARKS.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    path.write_text(replace_section(old, heading, text.removeprefix(heading), before), encoding="utf-8")
    return path


def write_benchmarks(body: str, subheading: str | None = None, path: Path | None = None) -> Path:
    """Put ``body`` under ``## Exercise classifier`` (or one of its ``###`` parts)."""
    path = path or REPO / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    if subheading is None:
        new = replace_section(text, HEADING, body)
    else:
        m = re.search(rf"^{re.escape(HEADING)}\s*$(.*?)(?=^## |\Z)", text, re.S | re.M)
        section = m.group(1) if m else ""
        parts = _subsections(section)
        parts[subheading] = body.strip()
        inner = "\n\n".join(f"### {k}\n\n{v}" for k, v in parts.items())
        new = replace_section(text, HEADING, inner)
    path.write_text(new, encoding="utf-8")
    return path


def _subsections(section: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in re.finditer(r"^### (.+?)\s*$(.*?)(?=^### |\Z)", section, re.S | re.M):
        out[m.group(1).strip()] = m.group(2).strip()
    return out
