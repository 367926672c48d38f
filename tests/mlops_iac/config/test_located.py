from pathlib import Path

from mlops_iac.config.located import LMap, LScalar, LSeq, load_yaml, plain


def parse(tmp_path: Path, text: str):
    path = tmp_path / "f.yaml"
    path.write_text(text)
    errors = []
    return load_yaml(path, "f.yaml", errors), errors


def test_every_key_and_value_keeps_its_line_and_column(tmp_path):
    node, errors = parse(tmp_path, "a:\n  b: 1\n  c: [x, y]\n")
    assert errors == []
    b = node.entries["a"].value.entries["b"]
    assert (b.key_loc.line, b.key_loc.column) == (2, 3)
    assert isinstance(b.value, LScalar) and b.value.value == 1 and b.value.loc.column == 6
    seq = node.entries["a"].value.entries["c"].value
    assert isinstance(seq, LSeq) and [i.loc.column for i in seq.items] == [7, 10]
    assert plain(node) == {"a": {"b": 1, "c": ["x", "y"]}}


def test_fails_when_a_key_is_duplicated(tmp_path):
    _, errors = parse(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert [e.render() for e in errors] == [
        "f.yaml:3:1: a: duplicate key 'a' (first set at line 1); YAML would silently keep only the last one"]


def test_fails_with_line_on_invalid_yaml(tmp_path):
    node, errors = parse(tmp_path, "a: 1\nb: [unclosed\n")
    assert node is None
    assert len(errors) == 1 and errors[0].location.file == "f.yaml"
    assert "invalid YAML" in errors[0].message and errors[0].location.line == 3


def test_fails_on_yaml_merge_keys(tmp_path):
    _, errors = parse(tmp_path, "base: &b {x: 1}\nother:\n  <<: *b\n")
    assert errors[0].render().startswith("f.yaml:3:3: other: only plain string keys")


def test_empty_file_is_an_empty_mapping(tmp_path):
    node, errors = parse(tmp_path, "# only a comment\n")
    assert isinstance(node, LMap) and node.entries == {} and errors == []
