"""Guardrails as cdktf Aspects in the real synth: findings, suppressions from config, and a failed
synth that writes nothing."""
import json
import os
import subprocess
import sys

from stacks.cli import GuardrailError, synthesize
from tests.conftest import config_errors, estate_copy


def copy_project(tmp_path):
    """The reference fixture estate in tmp_path."""
    return estate_copy(tmp_path)


def test_example_is_clean_and_prod_stateful_resources_are_protected(example_out, example_stacks):
    report = json.loads((example_out / "guardrails.json").read_text())
    assert report == {"errors": 0, "findings": [], "suppressed": 0, "warnings": 0}
    workspace = example_stacks["prod-platform"]["resource"]["azurerm_databricks_workspace"]
    assert next(iter(workspace.values()))["lifecycle"] == {"prevent_destroy": True}
    assert "lifecycle" not in next(iter(example_stacks["prodfix-platform"]["resource"]["azurerm_storage_account"].values()))


def test_a_public_prod_workspace_fails_synth_until_suppressed_with_a_reason(tmp_path):
    project = copy_project(tmp_path)
    prod = project / "envs" / "prod.yaml"
    prod.write_text(prod.read_text().replace("  public_network_access: false\n", "  public_network_access: true\n")
                    .replace("  network_security_group_rules: NoAzureDatabricksRules\n", ""))
    try:
        synthesize(project / "envs", tmp_path / "out")
        raise AssertionError("synth should have failed")
    except GuardrailError as error:
        assert [f.rule_id for f in error.report.errors] == ["PROD-PRIVATE-WORKSPACE"]
    prod.write_text(prod.read_text() + "guardrails:\n  suppressions:\n    - rule: PROD-PRIVATE-WORKSPACE\n"
                    "      reason: private endpoints go live in Q3; public access until then (CHG-1234)\n")
    synthesize(project / "envs", tmp_path / "out2")
    report = json.loads((tmp_path / "out2" / "guardrails.json").read_text())
    assert report["suppressed"] == 1 and report["errors"] == 0
    assert report["findings"][0]["suppressed_because"].startswith("private endpoints go live in Q3")


def test_cli_reports_guardrail_errors_and_keeps_previous_output(tmp_path):
    project = copy_project(tmp_path)
    (project / "cdktf.out").mkdir()
    (project / "cdktf.out" / "marker").write_text("previous")
    defaults = project / "envs" / "defaults.yaml"
    defaults.write_text(defaults.read_text().replace("    project: mlops-platform\n", ""))
    env = {**os.environ}
    env.pop("MLOPS_IAC_DEBUG", None)
    result = subprocess.run([sys.executable, "-m", "stacks", "synth"], cwd=project, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error REQUIRED-TAGS prod-platform: azurerm_key_vault." in result.stderr
    assert result.stderr.rstrip().endswith("guardrail errors; nothing written (suppress a finding only with a "
                                           "reason: guardrails.suppressions)")
    assert sorted(p.name for p in (project / "cdktf.out").iterdir()) == ["marker"]


def test_fails_when_a_suppression_names_an_unknown_rule_or_gives_no_reason(tmp_path):
    project = copy_project(tmp_path)
    prod = project / "envs" / "prod.yaml"
    prod.write_text(prod.read_text() + "guardrails:\n  suppressions:\n    - {rule: PROD-PRIVATE-WORKSPACES, reason: short}\n")
    errors = config_errors(project / "envs")
    assert errors[0].startswith("envs/prod.yaml:48:47: guardrails.suppressions[0].reason: 'short' has 5 characters\n"
                                "  (expected 10-500 characters)")
    prod.write_text(prod.read_text().replace("reason: short", "reason: long enough reason"))
    errors = config_errors(project / "envs")
    assert errors == ["envs/prod.yaml:48:14: guardrails.suppressions[0].rule: unknown guardrail rule "
                      "'PROD-PRIVATE-WORKSPACES'\n  (expected one of " + ", ".join(sorted(load_rule_ids())) + ")\n"
                      "  did you mean 'PROD-PRIVATE-WORKSPACE'?"]


def load_rule_ids():
    from guardrails.packs import RULE_IDS
    return RULE_IDS
