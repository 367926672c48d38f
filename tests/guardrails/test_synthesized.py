"""Guardrails over the synthesized JSON in the real synth: findings, suppressions from config, and
a failed synth that writes nothing; and the public entry point on a cdktf output of another app."""
import json
import os
import subprocess
import sys

import pytest

from guardrails import DEFAULT_PACK
from guardrails.synthesized import StackPolicy, check_synthesized, stack_json_path
from guardrails.model import Suppression
from mlops_config import ConfigError, load_environments
from stacks.cli import GuardrailError, synthesize
from stacks.guardrail_checks import RULE_IDS
from tests.conftest import estate_copy


def config_errors(envs):
    """Diagnostics of loading envs as the app does: suppressions checked against its pack."""
    with pytest.raises(ConfigError) as caught:
        load_environments(envs, guardrail_rules=RULE_IDS)
    return [d.render() for d in caught.value.diagnostics]


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
    return RULE_IDS


def test_unknown_suppressed_rules_are_checked_only_against_the_rules_handed_in(tmp_path):
    project = copy_project(tmp_path)
    prod = project / "envs" / "prod.yaml"
    prod.write_text(prod.read_text() + "guardrails:\n  suppressions:\n    - {rule: MY-RULE, reason: long enough reason}\n")
    assert config_errors(project / "envs")[0].startswith(
        "envs/prod.yaml:48:14: guardrails.suppressions[0].rule: unknown guardrail rule 'MY-RULE'")
    load_environments(project / "envs", guardrail_rules=RULE_IDS + ("MY-RULE",))  # a pack with that rule: fine


def write_stack(outdir, stack_id, resources):
    path = stack_json_path(outdir, stack_id)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"resource": resources}))


def test_check_synthesized_judges_another_apps_output_and_reports_construct_paths(tmp_path):
    job = {"name": "nightly", "run_as": {"user_name": "someone@example.com"},
           "//": {"metadata": {"path": "their-stack/etl/job", "uniqueId": "etl_job_1A2B"}}}
    write_stack(tmp_path, "their-stack", {"databricks_job": {"etl_job_1A2B": job}})
    write_stack(tmp_path, "not-checked", {"databricks_job": {"x": job}})
    report = check_synthesized(tmp_path, DEFAULT_PACK, {"their-stack": StackPolicy("prod", production=True)})
    assert sorted((f.rule_id, f.stack, f.path) for f in report.errors) == [
        ("EXPLICIT-PERMISSIONS", "their-stack", "their-stack/etl/job"),
        ("PROD-RUN-AS-SP", "their-stack", "their-stack/etl/job")]
    suppressed = check_synthesized(tmp_path, DEFAULT_PACK, {"their-stack": StackPolicy(
        "prod", True, (Suppression("EXPLICIT-PERMISSIONS", "ACLs managed by the data team", "etl/"),))})
    assert [f.rule_id for f in suppressed.errors] == ["PROD-RUN-AS-SP"]
    assert suppressed.suppressed[0].suppressed_because == "ACLs managed by the data team"
    with pytest.raises(FileNotFoundError):
        check_synthesized(tmp_path, DEFAULT_PACK, {"missing": StackPolicy("prod", True)})
