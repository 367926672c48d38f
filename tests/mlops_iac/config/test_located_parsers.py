"""The fast (libyaml events) path and the reference (ruamel composer) path give the same located
tree and the same diagnostics; the fast path really is taken for plain documents."""
from pathlib import Path

import pytest

from mlops_iac.config import located
from mlops_iac.config.located import LMap, LScalar, LSeq, load_yaml

PLAIN_DOCUMENTS = {
    "cron in a flow mapping": "schedule: {quartz_cron_expression: 0 0 0 * * ?, timezone_id: UTC}\n",
    "cron closing a flow mapping": "schedule: {quartz_cron_expression: 0 0 6 ? * MON}\n",
    "YAML 1.1 booleans stay strings": "a: yes\nb: no\nc: on\nd: off\ne: Y\nf: true\ng: False\n",
    "numbers": "a: 0o17\nb: 017\nc: 0x1F\nd: 1_000\ne: 1.5e3\nf: .inf\ng: -.5\nh: 12\ni: +3\nj: 1:30\n",
    "nulls": "a: ~\nb: null\nc: ~\nd: Null\ne: ''\n",
    "dates stay as ruamel gives them": "a: 2024-01-31\nb: 2024-01-31T10:00:00Z\n",
    "quoted scalars are strings": "a: '1'\nb: \"true\"\nc: \"\\/x \\u00e9\"\n",
    "block scalars": "a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\n",
    "nested blocks and flows": "jobs:\n  - name: x\n    tasks: [{task_key: a}, {task_key: b, depends_on: [{task_key: a}]}]\n"
                              "  - name: y\n    tags: {team: ml, cost_center: '42'}\n",
    "urls in flow context": "repo: {url: https://dev.example.com/x/_git/y, provider: git}\n",
    "non-ASCII columns": "name: caf\u00e9\ntags: [\u00fc, x]\n",
    "integer and quoted keys": "1: one\n'two': 2\n",
    "duplicate keys": "a: 1\nb: {x: 1, x: 2}\na: 3\n",
    "empty": "# only a comment\n",
    "Windows line ends": "a: 1\r\nb:\r\n  c: [x, y]\r\nd: ~\r\n",
    "top-level list": "- a\n- b: 1\n",
}
REFERENCE_ONLY = {
    "anchors and merge keys": "base: &b {x: 1}\nother:\n  <<: *b\n",
    "alias": "a: &x [1, 2]\nb: *x\n",
    "explicit tag": "a: !!str 12\n",
    "YAML 1.1 directive": "%YAML 1.1\n---\na: yes\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "syntax error": "a: 1\nb: [unclosed\n",
    "tab indentation": "a: 1\n\tb: 2\n",
    "complex key": "? [a, b]\n: 1\n",
    "explicit empty document": "---\n",
    "what libyaml rejects": "f: {a: 1, c:}\n",
    "empty values (placed differently by libyaml)": "x:\n  a:\n  b: # c\n\n  c:\nl:\n- \n- b\n-\nf: {a: , b: 1}\nz:",
}


def shape(node):
    """Everything a located tree holds: values, types and locations."""
    if node is None:
        return None
    if isinstance(node, LScalar):
        return ("scalar", type(node.value).__name__, repr(node.value), node.loc)
    if isinstance(node, LSeq):
        return ("seq", node.loc, [shape(i) for i in node.items])
    assert isinstance(node, LMap)
    return ("map", node.loc, [(k, e.key_loc, shape(e.value)) for k, e in node.entries.items()])


def both(tmp_path: Path, text: str):
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    fast_errors, reference_errors = [], []
    fast = load_yaml(path, "f.yaml", fast_errors)
    reference = located._ruamel_tree(text, "f.yaml", reference_errors)
    return (shape(fast), [e.render() for e in fast_errors]), (shape(reference), [e.render() for e in reference_errors])


@pytest.mark.parametrize("text", PLAIN_DOCUMENTS.values(), ids=PLAIN_DOCUMENTS.keys())
def test_fast_path_gives_the_reference_tree(tmp_path, text):
    located._fast_tree(text, "f.yaml", [])  # taken: raises if the document is left to ruamel
    fast, reference = both(tmp_path, text)
    assert fast == reference


@pytest.mark.parametrize("text", REFERENCE_ONLY.values(), ids=REFERENCE_ONLY.keys())
def test_other_documents_go_through_ruamel_unchanged(tmp_path, text):
    with pytest.raises((located._NotPlain, located.pyyaml.YAMLError)):
        located._fast_tree(text, "f.yaml", [])
    fast, reference = both(tmp_path, text)
    assert fast == reference


def test_yaml_1_2_scalars_as_the_specs_need_them(tmp_path):
    (tmp_path / "f.yaml").write_text(PLAIN_DOCUMENTS["cron in a flow mapping"] + "on: yes\noctal: 0o17\nold: 017\n")
    errors = []
    tree = located.plain(load_yaml(tmp_path / "f.yaml", "f.yaml", errors))
    assert errors == []
    assert tree == {"schedule": {"quartz_cron_expression": "0 0 0 * * ?", "timezone_id": "UTC"},
                    "on": "yes", "octal": 15, "old": 17}


def test_duplicate_keys_name_both_lines_on_the_fast_path(tmp_path):
    (tmp_path / "f.yaml").write_text("a: 1\nb: 2\na: 3\n")
    errors = []
    load_yaml(tmp_path / "f.yaml", "f.yaml", errors)
    assert [e.render() for e in errors] == [
        "f.yaml:3:1: a: duplicate key 'a' (first set at line 1); YAML would silently keep only the last one"]
