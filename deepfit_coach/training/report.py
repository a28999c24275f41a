"""Write the classifier's numbers into BENCHMARKS.md (only its own section)."""

from __future__ import annotations

import re
from pathlib import Path

HEADING = "## Exercise classifier"
REPO = Path(__file__).resolve().parents[2]


def replace_section(text: str, heading: str, body: str) -> str:
    """Replace (or append) the section starting at ``heading`` up to the next ``## ``."""
    block = f"{heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^{re.escape(heading)}\s*$.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        return pattern.sub(lambda _: block + "\n", text, count=1).rstrip() + "\n"
    sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    return (text + sep + block).lstrip("\n")


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
