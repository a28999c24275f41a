"""BENCHMARKS.md sections: a benchmark replaces only its own section, and a new one goes where
its script asks (before a named heading), never over another section."""

from deepfit_coach.training.report import write_section

DOC = "# Benchmarks\n\n## A\n\na text\n\n## Synth\n\nsynth text\n"


def test_new_section_goes_before_the_named_heading(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(DOC)
    write_section("## New", "## New\n\nnew text\n", before="## Synth", path=path)
    assert path.read_text() == "# Benchmarks\n\n## A\n\na text\n\n## New\n\nnew text\n\n## Synth\n\nsynth text\n"
    write_section("## Last", "last text", before="## Missing", path=path)
    assert path.read_text().endswith("## Synth\n\nsynth text\n\n## Last\n\nlast text\n")


def test_existing_section_is_replaced_in_place(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(DOC)
    write_section("## A", "## A\n\nnew a\n", before="## Synth", path=path)
    assert path.read_text() == "# Benchmarks\n\n## A\n\nnew a\n\n## Synth\n\nsynth text\n"
    write_section("## A", "## A\n\nnew a\n", before="## Synth", path=path)   # idempotent
    assert path.read_text() == "# Benchmarks\n\n## A\n\nnew a\n\n## Synth\n\nsynth text\n"
