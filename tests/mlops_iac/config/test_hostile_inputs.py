"""One regression test per cause of an internal error or a hang that hostile inputs used to
produce, on a copy of the reference fixture estate: each is now a diagnostic at file:line."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from mlops_iac.config import ConfigError, load_environments
from tests.conftest import estate_copy

DEFAULTS = "envs/defaults.yaml"
JOB_POLICY = "envs/policies/job-compute.json"
SCRIPT = "envs/init_scripts/install_inhouse_libs.sh"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return estate_copy(tmp_path / "estate")


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1))


def errors(root: Path) -> list[str]:
    """Rendered diagnostics; the load must finish within 20 s (a hang fails the test, not the run)."""
    outcome: dict = {}

    def load() -> None:
        try:
            load_environments(root / "envs")
            outcome["ok"] = True
        except ConfigError as error:
            outcome["errors"] = [d.render() for d in error.diagnostics]
        except BaseException as error:  # noqa: BLE001 - reported below as the failure
            outcome["internal"] = error

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(20)
    assert not thread.is_alive(), "loading hung"
    assert "internal" not in outcome, f"internal error: {outcome.get('internal')!r}"
    assert "errors" in outcome, "loading succeeded"
    return outcome["errors"]


def first(found: list[str], prefix: str) -> str:
    matching = [line for line in found if line.startswith(prefix)]
    assert matching, f"no diagnostic at {prefix}: {found}"
    return matching[0]


# --- YAML structure: aliases and nesting ---------------------------------------------------------

def test_recursive_alias_is_an_error_at_its_line(root):
    edit(root, "envs/qa.yaml", "display_name: QA", "display_name: QA\nloop: &a [1, *a]")
    assert "a YAML alias refers to a node that contains it" in first(errors(root), "envs/qa.yaml:6:")


def test_alias_bomb_is_an_error_not_a_hang(root):
    bomb = "lol0: &l0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 9))
    (root / "envs/qa.yaml").write_text(bomb)
    line = first(errors(root), "envs/qa.yaml:")
    assert "more than 100000 values once aliases are expanded (an alias bomb?)" in line


@pytest.mark.parametrize("nested", ["[" * 600 + "]" * 600, "&x [" + "[" * 600 + "]" * 601])
def test_yaml_nested_too_deep_is_an_error(root, nested):
    edit(root, "envs/qa.yaml", "display_name: QA", f"display_name: QA\ndeep: {nested}")
    assert "nested deeper than 200 levels" in first(errors(root), "envs/qa.yaml:6:")


def test_json_nested_too_deep_is_an_error_at_the_line_naming_the_file(root):
    (root / JOB_POLICY).write_text('{"a": ' + "[" * 5000 + "]" * 5000 + "}")
    line = first(errors(root), "envs/defaults.yaml:51:22: cluster_policies.job-compute.definition_file:")
    assert "is not valid JSON (line 1, column 206): nested deeper than 200 levels" in line


# --- text that is no UTF-8 YAML -----------------------------------------------------------------

@pytest.mark.parametrize("char,code", [("\x00", "U+0000"), ("\x1b", "U+001B"), ("\x9b", "U+009B")])
def test_control_characters_are_errors_at_their_position(root, char, code):
    edit(root, "envs/qa.yaml", "display_name: QA", f"display_name: Q{char}A")
    assert f"control character {code} in the file" in first(errors(root), "envs/qa.yaml:5:16: (file):")


def test_characters_the_yaml_reader_rejects_are_errors(root):
    edit(root, "envs/qa.yaml", "display_name: QA", "display_name: Q\ufffeA")
    assert "invalid YAML" in first(errors(root), "envs/qa.yaml:5:16: (syntax):")


def test_utf16_without_bom_is_an_error(root):
    path = root / "envs/qa.yaml"
    path.write_bytes(path.read_text().encode("utf-16-le"))
    assert "(UTF-16 without a byte order mark?)" in first(errors(root), "envs/qa.yaml:1:2: (file):")


def test_utf16_with_bom_and_invalid_utf8_are_errors(root):
    (root / "envs/qa.yaml").write_bytes("stage: staging\n".encode("utf-16"))
    assert "the file is UTF-16; save it as UTF-8" in first(errors(root), "envs/qa.yaml:1:1: (file):")
    (root / "envs/qa.yaml").write_bytes(b"stage: staging\ndisplay_name: Q\xc3(\n")
    assert "not valid UTF-8: byte 0xc3" in first(errors(root), "envs/qa.yaml:2:16: (file):")


# --- special files and paths --------------------------------------------------------------------

def test_yaml_symlinked_to_dev_zero_is_refused_before_reading(root):
    (root / "envs/qa.yaml").unlink()
    os.symlink("/dev/zero", root / "envs/qa.yaml")
    assert "leads outside the project" in first(errors(root), "envs/qa.yaml:1:1: (file):")


def test_device_inside_the_project_is_refused(root, tmp_path):
    os.symlink("/dev/zero", tmp_path / "zero")  # the project root itself is tmp_path/estate
    (root / "envs/qa.yaml").unlink()
    os.symlink("../../zero", root / "envs/qa.yaml")
    assert "leads outside the project" in first(errors(root), "envs/qa.yaml:1:1: (file):")


def test_init_script_that_is_a_device_is_refused(root):
    (root / SCRIPT).unlink()
    os.symlink("/dev/zero", root / SCRIPT)
    line = first(errors(root), "envs/defaults.yaml:46:32:")
    assert "cannot read 'envs/init_scripts/install_inhouse_libs.sh': the path leads outside" in line


@pytest.mark.parametrize("rel,at", [("envs/qa.yaml", "envs/qa.yaml:1:1: (file): "),
                                    (SCRIPT, "envs/defaults.yaml:46:32:"), (JOB_POLICY, "envs/defaults.yaml:51:")])
def test_fifo_is_refused_without_blocking(root, rel, at):
    (root / rel).unlink()
    os.mkfifo(root / rel)
    assert "is a FIFO (named pipe), not a regular file" in first(errors(root), at)


def test_symlink_loop_is_an_error(root):
    (root / "envs/qa.yaml").unlink()
    os.symlink("qa.yaml", root / "envs/qa.yaml")
    assert "cannot resolve the path" in first(errors(root), "envs/qa.yaml:1:1: (file):")


def test_nul_byte_in_a_path_is_an_error_at_the_line_naming_it(root):
    edit(root, DEFAULTS, "{file: envs/init_scripts/install_inhouse_libs.sh}", '{file: "envs/a\\0b.sh"}')
    assert "points outside the project" in first(errors(root), "envs/defaults.yaml:46:32:")


def test_directory_named_like_a_spec_is_an_error(root):
    (root / "projects/churn/jobs/extra.yml").mkdir()
    assert "is a directory, not a regular file" in first(errors(root), "projects/churn/jobs/extra.yml:1:1: (file):")


def test_file_over_the_size_limit_is_refused(root):
    (root / SCRIPT).write_text("#!/bin/sh\n" + "# padding\n" * 120_000)
    assert "the limit is 1048576 bytes per file" in first(errors(root), "envs/defaults.yaml:46:32:")


def test_content_of_a_file_outside_the_project_is_never_echoed(root, tmp_path):
    outside = tmp_path / "runner-secret.txt"
    token = "ghp_" + "Z" * 36
    outside.write_text(token + "\n")
    (root / "envs/qa.yaml").unlink()
    os.symlink(outside, root / "envs/qa.yaml")
    found = errors(root)
    assert not any("Z" * 8 in line for line in found)
    assert "leads outside the project" in first(found, "envs/qa.yaml:1:1: (file):")


# --- values that fail to construct --------------------------------------------------------------

@pytest.mark.parametrize("value,message", [
    ("!foo x", "cannot read this value as tag '!foo'"),
    ('!!int "x"', "cannot read this value as !!int"),
    ("!!timestamp 2024-13-45", "cannot read this value as !!timestamp"),
    ("!!bool maybe", "cannot read this value as !!bool"),
    ("!!binary aGVsbG8=", "a !!binary value is not supported here"),
])
def test_values_that_fail_to_construct_are_errors(root, value, message):
    edit(root, "envs/qa.yaml", "display_name: QA", f"display_name: {value}")
    assert message in first(errors(root), "envs/qa.yaml:5:15: display_name:")


def test_a_plain_impossible_date_is_a_string(root):
    edit(root, "envs/qa.yaml", "display_name: QA", "display_name: 2001-02-30")
    loaded = {env.config.name: env.config for env in load_environments(root / "envs")}
    assert loaded["qa"].display_name == "2001-02-30"


# --- values of the right syntax and the wrong shape ---------------------------------------------

def test_fixed_policy_rule_without_value(root):
    edit(root, JOB_POLICY, '"cluster_type": {"type": "fixed", "value": "job"}', '"cluster_type": {"type": "fixed"}')
    assert "a fixed rule needs 'value'" in first(errors(root), "envs/policies/job-compute.json:5:1: cluster_type:")


def test_null_inside_a_policy_json(root):
    edit(root, JOB_POLICY, '"num_workers": {"type": "range", "maxValue": 16, "defaultValue": 1}', '"num_workers": null')
    assert "a rule must be an object" in first(errors(root), "envs/policies/job-compute.json:4:1: num_workers:")


def test_access_matrix_cell_null_means_no_access(root):
    edit(root, "envs/access.yaml", "experiment: {development: CAN_MANAGE, staging: CAN_READ, production: CAN_READ}",
         "experiment: null")
    loaded = load_environments(root / "envs")
    for env in loaded:
        roles = {grant.role for grant in env.config.access.grants("experiment")}
        assert "data_scientists" not in roles and "ml_engineers" in roles


OVERRIDE = ("    jobs/model-train.yml:\n      job_clusters:\n        - job_cluster_key: main\n"
            "          new_cluster: {num_workers: 8, node_type_id: Standard_E8ds_v5}\n")


@pytest.mark.parametrize("target,kind", [("null", "null"), ("42", "int"), ("[1]", "a list")])
def test_override_target_that_is_no_mapping(root, target, kind):
    edit(root, "projects/churn/project.yaml", OVERRIDE, f"    jobs/model-train.yml: {target}\n")
    line = first(errors(root), "projects/churn/project.yaml:27:27: overrides.prod.jobs/model-train.yml:")
    assert f"expected a mapping of the spec's fields to change, got {kind}" in line


def test_custom_group_named_admins_loads(root):
    edit(root, DEFAULTS, "  readers:\n", "  admins:\n    users: [erin.walsh@contoso.com]\n  readers:\n")
    loaded = load_environments(root / "envs")
    assert all("admins" in env.config.groups for env in loaded)


@pytest.mark.parametrize("value,expected", [
    ("2024-01-01", "value '2024-01-01' does not fit autotermination_minutes"),
    ("!!binary aGVsbG8=", "a !!binary value is not supported here"),
])
def test_dates_and_binary_values_in_an_inline_policy(root, value, expected):
    edit(root, DEFAULTS, "autotermination_minutes: {type: fixed, value: 30}",
         f"autotermination_minutes: {{type: fixed, value: {value}}}")
    assert expected in first(errors(root), "envs/defaults.yaml:71:")


def test_syntax_error_at_the_end_of_a_large_file_is_reported_promptly(root):
    body = "".join(f"k{i}: {i}\n" for i in range(30_000))  # ~300 KB: libyaml's words, not ruamel's slow scan
    (root / "envs/qa.yaml").write_text(body + "broken\n")
    assert "invalid YAML: could not find expected ':'" in first(errors(root), "envs/qa.yaml:30002:1: (syntax):")
