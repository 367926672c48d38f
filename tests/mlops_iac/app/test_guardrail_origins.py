"""Guardrail findings name the config file:line that produced their resource and the config change
that fixes it, before the suppression; the origins stay out of the synthesized JSON.

Findings the config can produce (a public production workspace, a missing tag, an unpaused
schedule) come from a fixture estate written to tmp_path; for rules the loader already prevents
(so no valid config reaches them), the synthesized JSON of the reference fixture estate is changed
the way another route would, and the finding must still point at the config line of its resource.
"""
import json
import shutil

import pytest

from mlops_iac.config import load_environments
from mlops_iac.app.cli import GuardrailError, synthesize
from mlops_iac.app.guardrail_checks import RULE_IDS, check_stacks
from mlops_iac.app.origins import Origins
from mlops_iac.app.golden import canonical
from tests.conftest import REFERENCE, estate_copy

from mlops_iac.guardrails import Report
from mlops_iac.guardrails.synthesized import stack_json_path


def line_of(path, text, start=1):
    """1-based number of the first line at or after ``start`` that starts with ``text``."""
    lines = path.read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if i >= start and line.startswith(text))


@pytest.fixture(scope="module")
def reference_synth(tmp_path_factory):
    """The reference estate synthesized once with its origins: (outdir, stack order, envs, origins)."""
    from mlops_iac.app.assembly import build_app

    environments = load_environments(REFERENCE / "envs", guardrail_rules=RULE_IDS)
    origins = Origins()
    out = tmp_path_factory.mktemp("origins") / "cdktf.out"
    app = build_app(environments, str(out), origins)
    app.synth()
    return out, [child.node.id for child in app.node.children], environments, origins


def findings_after(tmp_path, reference_synth, stack_id, change):
    """Findings of the app's pack after ``change(terraform)`` edited one synthesized stack."""
    out, order, environments, origins = reference_synth
    copy = tmp_path / "cdktf.out"
    shutil.copytree(out, copy)
    path = stack_json_path(copy, stack_id)
    terraform = json.loads(path.read_text())
    change(terraform)
    path.write_text(json.dumps(terraform))
    return check_stacks(copy, order, environments, Report(), origins).findings


def one_resource(terraform, rtype, path_end):
    [body] = [b for b in terraform["resource"][rtype].values() if b["//"]["metadata"]["path"].endswith(path_end)]
    return body


def test_a_public_production_workspace_names_the_workspace_line_and_the_setting(tmp_path):
    project = estate_copy(tmp_path)
    prod = project / "envs" / "prod.yaml"
    prod.write_text(prod.read_text().replace("  public_network_access: false\n", "  public_network_access: true\n")
                    .replace("  network_security_group_rules: NoAzureDatabricksRules\n", ""))
    with pytest.raises(GuardrailError) as caught:
        synthesize(project / "envs", tmp_path / "out")
    [finding] = caught.value.report.errors
    workspace, setting = line_of(prod, "workspace:"), line_of(prod, "  public_network_access:")
    assert str(finding.origin) == f"envs/prod.yaml:{workspace}:1" and finding.origin.key == "workspace"
    assert finding.render().splitlines() == [
        f"envs/prod.yaml:{workspace}:1: error [PROD-PRIVATE-WORKSPACE] prod-platform/platform/workspace/workspace: "
        "production workspace allows public network access: dbw-mlops-prod is reachable from the internet",
        f"  fix: set workspace.public_network_access: false (workspace.public_network_access at "
        f"envs/prod.yaml:{setting}:3)",
        "  or suppress with a reason: guardrails.suppressions in envs/prod.yaml: - {rule: PROD-PRIVATE-WORKSPACE, "
        "resource: platform/workspace/workspace, reason: <why, 10+ characters>}"]
    # the suppression as the hint writes it is accepted and silences exactly this finding
    prod.write_text(prod.read_text() + "guardrails:\n  suppressions:\n    - {rule: PROD-PRIVATE-WORKSPACE, "
                    "resource: platform/workspace/workspace, reason: private endpoints go live in Q3}\n")
    report = Report()
    synthesize(project / "envs", tmp_path / "out2", report)
    assert [(f.rule_id, str(f.origin)) for f in report.suppressed] == [
        ("PROD-PRIVATE-WORKSPACE", f"envs/prod.yaml:{workspace}:1")]


def test_missing_tags_name_each_resources_line_and_the_tags_to_add(tmp_path):
    project = estate_copy(tmp_path)
    defaults = project / "envs" / "defaults.yaml"
    defaults.write_text(defaults.read_text().replace("    project: mlops-platform\n", ""))
    with pytest.raises(GuardrailError) as caught:
        synthesize(project / "envs", tmp_path / "out")
    prod = project / "envs" / "prod.yaml"
    vault = next(f for f in caught.value.report.errors if f.path == "prod-platform/platform/key-vault/vault")
    assert (vault.rule_id, str(vault.origin)) == ("REQUIRED-TAGS", f"envs/prod.yaml:{line_of(prod, 'key_vault:')}:1")
    # prod writes azure.tags itself: the fix points there (the default would merge in as well)
    tags = line_of(prod, "  tags:", line_of(prod, "azure:"))
    assert vault.fix == f"add azure.tags.project (azure.tags at envs/prod.yaml:{tags}:3)"
    group = next(f for f in caught.value.report.errors if f.path == "prod-platform/platform/resource-group")
    assert str(group.origin) == f"envs/prod.yaml:{line_of(prod, '  resource_group:')}:3"


def test_an_unpaused_schedule_outside_production_names_the_spec(tmp_path):
    project = estate_copy(tmp_path)
    spec = project / "projects" / "churn" / "jobs" / "model-train.yml"
    spec.write_text(spec.read_text() + "deploy: {unpaused_outside_production: true}\n")
    report = Report()
    synthesize(project / "envs", tmp_path / "out", report)
    assert {(f.stack, str(f.origin)) for f in report.warnings} == {
        ("prodfix-workspace", "projects/churn/jobs/model-train.yml:1:7"),
        ("qa-workspace", "projects/churn/jobs/model-train.yml:1:7")}
    assert all(f.rule_id == "SCHEDULE-PAUSED-OUTSIDE-PROD" and "remove deploy.unpaused_outside_production from "
               "projects/churn/jobs/model-train.yml" in f.fix for f in report.warnings)
    recorded = json.loads((tmp_path / "out" / "guardrails.json").read_text())["findings"][0]
    assert recorded["origin"] == {"file": "projects/churn/jobs/model-train.yml", "line": 1, "column": 7, "key": "name"}
    assert recorded["fix"].startswith("remove deploy.unpaused_outside_production")


def test_a_job_running_as_its_creator_in_production_names_its_spec(tmp_path, reference_synth):
    def drop_run_as(terraform):
        del one_resource(terraform, "databricks_job", "/job-model-train/job")["run_as"]
    [finding] = [f for f in findings_after(tmp_path, reference_synth, "prod-workspace", drop_run_as)]
    assert (finding.rule_id, str(finding.origin)) == ("PROD-RUN-AS-SP", "projects/churn/jobs/model-train.yml:1:7")
    assert finding.fix == ("remove run_as from projects/churn/jobs/model-train.yml: it defaults to the deployer "
                           "'mlops-deployer'")


def test_a_user_owning_a_production_pipeline_points_at_the_spec_and_the_access_matrix(tmp_path, reference_synth):
    def user_owner(terraform):
        acl = one_resource(terraform, "databricks_permissions", "/pipeline-monitoring/permissions/acl")
        acl["access_control"] = [{"user_name": "someone@example.com", "permission_level": "IS_OWNER"}]
    [finding] = findings_after(tmp_path, reference_synth, "prod-workspace", user_owner)
    assert (finding.rule_id, str(finding.origin)) == (
        "PROD-OWNER-NOT-USER", "projects/churn/delta_live_tables/monitoring.yml:1:7")
    assert finding.fix.startswith("make the deployer the owner in the access matrix (envs/access.yaml): "
                                  "matrix.<role with deployer: true>.pipeline: IS_OWNER")


def test_a_cluster_without_policy_names_its_config_key(tmp_path, reference_synth):
    def drop_policy(terraform):
        for body in terraform["resource"]["databricks_cluster"].values():
            body.pop("policy_id")
    findings = findings_after(tmp_path, reference_synth, "prodfix-workspace", drop_policy)
    prodfix = REFERENCE / "envs" / "prodfix.yaml"
    cluster = next(f for f in findings if f.rule_id == "CLUSTER-POLICY")
    name = cluster.path.split("/")[3]
    assert cluster.path.startswith("prodfix-workspace/governance/clusters/")
    where = line_of(prodfix, f"  {name}:", line_of(prodfix, "clusters:"))
    assert (str(cluster.origin), cluster.origin.key) == (f"envs/prodfix.yaml:{where}:3", f"clusters.{name}")
    assert cluster.fix.startswith(f"set clusters.{name}.policy (envs/prodfix.yaml:{where}:3) to a policy key (")


def test_a_personal_policy_in_production_names_the_policy_key(tmp_path, reference_synth):
    def personal(terraform):
        body = one_resource(terraform, "databricks_cluster_policy", "/cluster-policies/job-compute/policy")
        body["policy_family_id"] = "personal-vm"
    [finding] = [f for f in findings_after(tmp_path, reference_synth, "prod-workspace", personal)
                 if f.rule_id == "NO-PERSONAL-COMPUTE-PROD"]
    defaults = REFERENCE / "envs" / "defaults.yaml"
    where = line_of(defaults, "  job-compute:", line_of(defaults, "cluster_policies:"))
    assert (str(finding.origin), finding.origin.key) == (f"envs/defaults.yaml:{where}:3", "cluster_policies.job-compute")
    assert finding.fix == (f"remove the policy in envs/prod.yaml: cluster_policies: {{job-compute: null}} "
                           f"(set at envs/defaults.yaml:{where}:3)")


def test_a_literal_secret_names_the_spec_and_the_secret_reference(tmp_path, reference_synth):
    token = "dapi" + "0" * 32

    def leak(terraform):
        job = one_resource(terraform, "databricks_job", "/job-model-train/job")
        job["parameter"].append({"name": "api_token", "default": token})
    [finding] = findings_after(tmp_path, reference_synth, "qa-workspace", leak)
    assert (finding.rule_id, str(finding.origin)) == ("NO-LITERAL-SECRETS", "projects/churn/jobs/model-train.yml:1:7")
    scope = json.loads(stack_json_path(reference_synth[0], "qa-workspace").read_text())["resource"][
        "databricks_secret_scope"]
    name = next(iter(scope.values()))["name"]
    assert finding.fix == (f"put the value in the environment's Key Vault and write {{{{secrets/{name}/<key>}}}} "
                           "instead of it in projects/churn/jobs/model-train.yml")
    assert token not in finding.render()


def test_an_experiment_without_acl_names_project_yaml_and_the_matrix_entry(tmp_path, reference_synth):
    def drop_acl(terraform):
        acls = terraform["resource"]["databricks_permissions"]
        [key] = [k for k, b in acls.items() if b["//"]["metadata"]["path"].endswith("/experiment-training/permissions/acl")]
        del acls[key]
    [finding] = findings_after(tmp_path, reference_synth, "qa-workspace", drop_acl)
    project = REFERENCE / "projects" / "churn" / "project.yaml"
    assert (finding.rule_id, str(finding.origin)) == (
        "EXPLICIT-PERMISSIONS", f"projects/churn/project.yaml:{line_of(project, 'experiments:')}:1")
    assert finding.fix == ("grant it in the access matrix (envs/access.yaml): matrix.<role>.experiment: <level> "
                           "for staging (at least the deployer's owner level)")


def test_an_unprotected_production_model_names_its_project_line(tmp_path, reference_synth):
    def unprotect(terraform):
        del one_resource(terraform, "databricks_registered_model", "/model-churn_classifier/model")["lifecycle"]
    [finding] = findings_after(tmp_path, reference_synth, "prod-workspace", unprotect)
    project = REFERENCE / "projects" / "churn" / "project.yaml"
    assert finding.rule_id == "PROD-PREVENT-DESTROY"
    assert str(finding.origin) == f"projects/churn/project.yaml:{line_of(project, '  churn_classifier:')}:3"
    assert "mlops_iac/app/protection.py" in finding.fix


def test_origins_stay_out_of_the_synthesized_json(reference_synth):
    out, order, _, origins = reference_synth
    for stack_id in order:
        expected = REFERENCE / "expected" / f"{stack_id}.tf.json"
        assert canonical(json.loads(stack_json_path(out, stack_id).read_text())) == expected.read_text()
    assert len(origins) > 30
