"""Guardrails over the synthesized JSON in the real synth: findings, suppressions from config, and
a failed synth that writes nothing; and the public entry point on a cdktf output of another app."""
import json
import os
import subprocess
import sys

import pytest

from mlops_iac.guardrails import DEFAULT_PACK
from mlops_iac.guardrails.synthesized import StackPolicy, check_synthesized, stack_json_path
from mlops_iac.guardrails.model import Origin, Suppression
from mlops_iac.config import ConfigError, load_environments
from mlops_iac.app.cli import GuardrailError, synthesize
from mlops_iac.app.guardrail_checks import RULE_IDS
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
    result = subprocess.run([sys.executable, "-m", "mlops_iac.app", "synth"], cwd=project, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    vault = project / "envs" / "prod.yaml"
    line = vault.read_text().splitlines().index("key_vault:") + 1
    assert (f"envs/prod.yaml:{line}:1: error [REQUIRED-TAGS] prod-platform/platform/key-vault/vault: "
            "resource or cluster without the required tags (cost_center, environment, project): tags lacks project\n"
            "  fix: add azure.tags.project (azure.tags at envs/prod.yaml:") in result.stderr
    assert result.stderr.rstrip().endswith("guardrail errors; nothing written (suppress a finding only with a "
                                           "reason: guardrails.suppressions)")
    assert sorted(p.name for p in (project / "cdktf.out").iterdir()) == ["marker"]


def test_fails_when_a_suppression_names_an_unknown_rule_or_gives_no_reason(tmp_path):
    project = copy_project(tmp_path)
    prod = project / "envs" / "prod.yaml"
    prod.write_text(prod.read_text() + "guardrails:\n  suppressions:\n    - {rule: PROD-PRIVATE-WORKSPACES, reason: short}\n")
    errors = config_errors(project / "envs")
    assert errors[0].startswith("envs/prod.yaml:52:47: guardrails.suppressions[0].reason: 'short' has 5 characters\n"
                                "  (expected 10-500 characters)")
    prod.write_text(prod.read_text().replace("reason: short", "reason: long enough reason"))
    errors = config_errors(project / "envs")
    assert errors == ["envs/prod.yaml:52:14: guardrails.suppressions[0].rule: unknown guardrail rule "
                      "'PROD-PRIVATE-WORKSPACES'\n  (expected one of " + ", ".join(sorted(load_rule_ids())) + ")\n"
                      "  did you mean 'PROD-PRIVATE-WORKSPACE'?"]


def load_rule_ids():
    return RULE_IDS


def test_unknown_suppressed_rules_are_checked_only_against_the_rules_handed_in(tmp_path):
    project = copy_project(tmp_path)
    prod = project / "envs" / "prod.yaml"
    prod.write_text(prod.read_text() + "guardrails:\n  suppressions:\n    - {rule: MY-RULE, reason: long enough reason}\n")
    assert config_errors(project / "envs")[0].startswith(
        "envs/prod.yaml:52:14: guardrails.suppressions[0].rule: unknown guardrail rule 'MY-RULE'")
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


def test_another_apps_finding_without_origins_renders_with_its_address_and_construct_path(tmp_path):
    job = {"name": "nightly", "run_as": {"user_name": "someone@example.com"},
           "//": {"metadata": {"path": "their-stack/etl/job", "uniqueId": "etl_job_1A2B"}}}
    write_stack(tmp_path, "their-stack", {"databricks_job": {"etl_job_1A2B": job}})
    report = check_synthesized(tmp_path, DEFAULT_PACK, {"their-stack": StackPolicy("prod", production=True)})
    finding = next(f for f in report.errors if f.rule_id == "PROD-RUN-AS-SP")
    assert finding.origin is None
    assert finding.render().splitlines() == [
        "databricks_job.etl_job_1A2B: error [PROD-RUN-AS-SP] their-stack/etl/job: production job or pipeline does "
        "not run as a service principal: nightly runs as someone@example.com",
        "  or suppress with a reason: Suppression('PROD-RUN-AS-SP', reason='<why, 10+ characters>', resource='etl/job')"]
    assert report.as_json()["findings"][1]["origin"] is None


def test_origins_handed_in_as_plain_data_resolve_to_the_nearest_recorded_ancestor(tmp_path):
    job = {"name": "nightly", "//": {"metadata": {"path": "their-stack/etl/nightly/job", "uniqueId": "j"}}}
    acl = {"job_id": "${databricks_job.j.id}", "access_control": [],
           "//": {"metadata": {"path": "their-stack/etl/nightly/acl", "uniqueId": "a"}}}
    other = {"name": "other", "//": {"metadata": {"path": "their-stack/adhoc/job", "uniqueId": "o"}}}
    write_stack(tmp_path, "their-stack", {"databricks_job": {"j": job, "o": other},
                                          "databricks_permissions": {"a": acl}})
    origins = {"their-stack/etl": Origin("jobs.yaml", 1, 1, "etl"),
               "their-stack/etl/nightly": Origin("jobs.yaml", 7, 3, "etl.nightly")}
    report = check_synthesized(tmp_path, DEFAULT_PACK, {"their-stack": StackPolicy("dev", False)}, origins=origins)
    assert {(f.rule_id, f.path, str(f.origin) if f.origin else None) for f in report.findings} == {
        ("EXPLICIT-PERMISSIONS", "their-stack/adhoc/job", None)}
    prod = check_synthesized(tmp_path, DEFAULT_PACK, {"their-stack": StackPolicy("prod", True)}, origins=origins)
    nightly = next(f for f in prod.errors if f.rule_id == "PROD-RUN-AS-SP" and f.path.endswith("nightly/job"))
    assert (str(nightly.origin), nightly.origin.key) == ("jobs.yaml:7:3", "etl.nightly")
    assert nightly.render().startswith("jobs.yaml:7:3: error [PROD-RUN-AS-SP] their-stack/etl/nightly/job: ")
    assert next(f for f in prod.findings if f.path.endswith("adhoc/job")).origin is None


def test_a_rules_own_fix_is_shown_before_the_suppression(tmp_path):
    from mlops_iac.guardrails import Level, Pack, Rule
    from mlops_iac.guardrails.model import NOT_APPLICABLE, non_compliant

    def needs_timeout(resource, stack):
        return NOT_APPLICABLE if resource.rtype != "databricks_job" else non_compliant("no timeout_seconds")
    pack = Pack("mine", (Rule("JOB-TIMEOUT", Level.WARNING, "job without a timeout", "why",
                              needs_timeout, fix="set timeout_seconds"),))
    write_stack(tmp_path, "s", {"databricks_job": {"j": {"name": "j"}}})
    [finding] = check_synthesized(tmp_path, pack, {"s": StackPolicy("dev", False)}).findings
    assert finding.render().splitlines()[1:] == [
        "  fix: set timeout_seconds",
        "  or suppress with a reason: Suppression('JOB-TIMEOUT', reason='<why, 10+ characters>', resource='j')"]
