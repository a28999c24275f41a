"""yamlfile: positions of keys and values, all issues at once, malformed YAML as one line."""

import pytest

from deepfit_coach.yamlfile import Checker, Issue, YamlValidationError, did_you_mean, load_yaml, loads_yaml


def test_positions_of_keys_and_values():
    doc = loads_yaml("name: x\nblocks:\n  - exercise: squats\n    sets: 3\n", "p.yaml")
    assert doc.data == {"name": "x", "blocks": [{"exercise": "squats", "sets": 3}]}
    assert doc.where(("blocks", 0, "sets")) == (4, 11)
    assert doc.where(("blocks", 0, "sets"), key=True) == (4, 5)
    assert doc.where(("blocks", 0, "nope")) == (3, 5)  # falls back to the enclosing node


def test_checker_reports_all_issues_sorted():
    doc = loads_yaml("nmae: x\nrest: -5\nsets: two\n", "p.yaml")
    c = Checker(doc)
    c.keys((), doc.data, ["name", "rest", "sets"], required=["name"])
    c.number(("rest",), doc.data["rest"])
    c.number(("sets",), doc.data["sets"], integer=True, minimum=1)
    with pytest.raises(YamlValidationError) as err:
        c.raise_if_any()
    lines = [str(i) for i in err.value.issues]
    # a misspelt required key is said once, as the key it stands for (not also "missing required key 'name'")
    assert lines[0] == "p.yaml:1:1: unknown key 'nmae' (did you mean 'name'?)"
    assert lines[1] == "p.yaml:2:7: rest must not be negative, got -5"
    assert lines[2].startswith("p.yaml:3:7: sets must be a whole number") and len(lines) == 3
    assert err.value.exit_code == 1


def test_malformed_yaml_is_one_issue_with_position():
    with pytest.raises(YamlValidationError) as err:
        loads_yaml("a: 1\nb: [1, 2\n", "bad.yaml")
    assert len(err.value.issues) == 1
    assert str(err.value.issues[0]).startswith("bad.yaml:3:1: invalid YAML")


def test_duplicate_keys_and_missing_file(tmp_path):
    with pytest.raises(YamlValidationError, match="p.yaml:2:1: duplicate key 'a'"):
        loads_yaml("a: 1\na: 2\n", "p.yaml")
    from deepfit_coach.errors import UserError
    with pytest.raises(UserError) as err:
        load_yaml(tmp_path / "missing.yaml")
    assert err.value.exit_code == 1


def test_a_nul_in_the_file_name_is_one_clear_error(tmp_path):
    """A name no file system can hold (hypothesis found a plan naming its custom exercise "\\x00"):
    a UserError, not Python's "embedded null byte" traceback."""
    from deepfit_coach.errors import UserError
    with pytest.raises(UserError, match="not a file name") as err:
        load_yaml(tmp_path / "ex\x00.yaml")
    assert err.value.exit_code == 1


def test_not_utf8(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_bytes(b"name: ok\nbad: \xff\n")
    with pytest.raises(YamlValidationError) as err:
        load_yaml(p)
    assert err.value.issues[0].line == 2


def test_did_you_mean_and_issue_str():
    assert did_you_mean("squat", ["squats", "lunges"]) == " (did you mean 'squats'?)"
    assert did_you_mean("zzz", ["squats"]) == ""
    assert str(Issue("f.yaml", 3, 4, "boom")) == "f.yaml:3:4: boom"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_loads_or_gives_positioned_issues(text):
    try:
        doc = loads_yaml(text, "r.yaml")
    except YamlValidationError as exc:
        assert exc.issues and all(i.line >= 1 and i.column >= 1 and i.file == "r.yaml" for i in exc.issues)
        assert str(exc.issues[0]).startswith("r.yaml:")
    else:
        for line, col in list(doc.value_pos.values()) + list(doc.key_pos.values()):
            assert line >= 1 and col >= 1
