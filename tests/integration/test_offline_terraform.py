"""Real Terraform and the real cdktf CLI on the reference fixture estate, against offline
stand-ins of the azurerm and databricks providers.

The golden-file tests only prove that synthesis is stable; they cannot say whether Terraform accepts
the JSON. These tests deploy one environment end to end with ``cdktf deploy`` in offline mode
(MLOPS_IAC_OFFLINE_STATE_DIR: every stack's state in a local folder, whatever its backend), so every
prodfix stack goes through Terraform core, which checks arguments, types, block nesting and
references against the real provider schemas served offline by ``../shared/offline-terraform``;
and plan the other environments with their backends overridden to local files. That every
stack of the user's estate passes `terraform validate` is an estate check (tests/estate/).
"""
from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.conftest import REFERENCE
from tests.integration.offline import (
    CDKTF, VENV_PYTHON, OfflineProject, after_of, assert_only_creates, cross_stack_outputs, managed_types,
    missing_prerequisite, offline_project, plan_offline, planned_changes, run, state_resources, tail, terraform,
)

if (_reason := missing_prerequisite()) is not None:
    pytest.skip(_reason, allow_module_level=True)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> OfflineProject:
    """A throw-away copy of the project with the reference estate, and one synth of every stack."""
    return offline_project(tmp_path_factory.mktemp("offline-terraform"), REFERENCE)


# --- tests -------------------------------------------------------------------------------------

def test_prodfix_deploys_end_to_end_with_cross_stack_references(project: OfflineProject) -> None:
    """The real `cdktf deploy` applies both local-state stacks in order; the workspace stack's
    databricks provider gets its host from the platform stack's state via terraform_remote_state."""
    run([str(CDKTF), "deploy", "prodfix-*", "--auto-approve", "--skip-provider-lock"],
        project.root, project.offline_env, timeout=150)

    state_dir = project.state_dir
    platform_file = state_dir / "prodfix-platform.tfstate"
    workspace_file = state_dir / "prodfix-workspace.tfstate"
    assert platform_file.is_file() and workspace_file.is_file(), (
        f"expected both state files, found {sorted(p.name for p in state_dir.glob('*'))}")
    platform = json.loads(platform_file.read_text())
    workspace = json.loads(workspace_file.read_text())

    assert managed_types(platform["resources"]) == Counter({
        "azurerm_resource_group": 1, "azurerm_databricks_workspace": 1, "azurerm_storage_account": 1,
        "azurerm_storage_container": 3, "azurerm_key_vault": 1})
    platform_outputs = cross_stack_outputs(platform, ["id", "workspace_url", "id", "vault_uri"])

    # The workspace stack read exactly those outputs through terraform_remote_state ...
    [remote_state] = state_resources(workspace, "terraform_remote_state")
    assert remote_state["outputs"]["value"] == platform_outputs
    # ... and created its folder with the provider configured from them.
    folders = sorted(d["path"] for d in state_resources(workspace, "databricks_directory"))
    assert folders == ["/Shared/mlops/prodfix", "/Shared/mlops/prodfix/churn/experiments"]
    # ... and bound the secret scope to the Key Vault the platform stack created.
    [scope] = state_resources(workspace, "databricks_secret_scope")
    assert scope["keyvault_metadata"][0]["resource_id"] == "fake-azurerm_key_vault-id"
    assert scope["keyvault_metadata"][0]["dns_name"] == "fake-azurerm_key_vault-vault_uri"

    # A second plan over the deployed state must be empty: the deploy converged.
    for stack_id in ("prodfix-platform", "prodfix-workspace"):
        stack_dir = project.root / "cdktf.out" / "stacks" / stack_id
        result = terraform(["plan", "-input=false", "-lock=false", "-no-color", "-detailed-exitcode"],
                           stack_dir, project.offline_env, ok_codes=(0, 2))
        assert result.returncode == 0, f"{stack_id}: changes after deploy:\n{tail(result.stdout)}"


def test_qa_and_prod_plan_offline(project: OfflineProject, tmp_path: Path) -> None:
    """qa/prod keep state in an Azure blob, unreachable here: plan them with local-state overrides.

    prod-platform is applied locally first so that prod-workspace's terraform_remote_state, pointed
    at that local state, resolves the workspace host like the real cross-stack reference would.
    """
    state_dir = tmp_path / "state"
    state_dir.mkdir()

    def copy_stack(stack_id: str) -> Path:
        return Path(shutil.copytree(project.stack_dir(stack_id), tmp_path / stack_id,
                                    ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl")))

    # GIVEN qa, whose workspace and resource group already exist (brownfield)
    qa_platform = planned_changes(plan_offline(copy_stack("qa-platform"), project.env, state_dir))
    assert_only_creates("qa-platform", qa_platform)
    assert managed_types(qa_platform) == Counter({
        "azurerm_key_vault": 1, "azurerm_storage_account": 1, "azurerm_storage_container": 3}), (
        "qa adopts the existing workspace and resource group: it must not create them")

    # WHEN qa-platform is applied to local state and qa-workspace reads its Key Vault from it
    qa_platform_dir = tmp_path / "qa-platform"
    terraform(["apply", "-input=false", "-lock=false", "-auto-approve", "-no-color", "plan.out"],
              qa_platform_dir, project.env)
    qa_platform_state = state_dir / "qa-platform.tfstate"
    cross_stack_outputs(json.loads(qa_platform_state.read_text()), ["id", "vault_uri"])
    qa_workspace = planned_changes(plan_offline(copy_stack("qa-workspace"), project.env, state_dir,
                                                remote_state_paths={"qa-platform": qa_platform_state}))
    assert_only_creates("qa-workspace", qa_workspace)
    assert sorted(d["path"] for d in after_of(qa_workspace, "databricks_directory"))[0] == "/Shared/mlops/qa"
    [qa_scope] = after_of(qa_workspace, "databricks_secret_scope")
    assert qa_scope["keyvault_metadata"] == [{"resource_id": "fake-azurerm_key_vault-id",
                                              "dns_name": "fake-azurerm_key_vault-vault_uri"}]

    # GIVEN prod, a private workspace injected into the platform VNet
    prod_platform_dir = copy_stack("prod-platform")
    prod_platform = planned_changes(plan_offline(prod_platform_dir, project.env, state_dir))
    assert_only_creates("prod-platform", prod_platform)
    assert managed_types(prod_platform) == Counter({
        "azurerm_resource_group": 1, "azurerm_databricks_workspace": 1, "azurerm_storage_account": 1,
        "azurerm_storage_container": 3, "azurerm_key_vault": 1,
        # the production footprint: endpoints for blob, dfs, vault, ui-api and browser auth, their
        # four zones linked to the VNet, diagnostics of the account, its four services and the vault
        "azurerm_private_endpoint": 5, "azurerm_private_dns_zone": 4,
        "azurerm_private_dns_zone_virtual_network_link": 4, "azurerm_log_analytics_workspace": 1,
        "azurerm_monitor_diagnostic_setting": 6})
    [prod_ws] = after_of(prod_platform, "azurerm_databricks_workspace")
    prod_vnet = yaml.safe_load((REFERENCE / "envs" / "prod.yaml").read_text())["workspace"]["vnet"]
    assert prod_ws["public_network_access_enabled"] is False
    assert prod_ws["custom_parameters"][0]["virtual_network_id"] == prod_vnet["virtual_network_id"]

    # WHEN prod-platform is applied to local state and prod-workspace reads it
    terraform(["apply", "-input=false", "-lock=false", "-auto-approve", "-no-color", "plan.out"],
              prod_platform_dir, project.env)
    prod_platform_state = state_dir / "prod-platform.tfstate"
    plan = plan_offline(copy_stack("prod-workspace"), project.env, state_dir,
                        remote_state_paths={"prod-platform": prod_platform_state})

    # THEN the cross-stack outputs resolve and the environment folder is planned
    prod_workspace = planned_changes(plan)
    assert_only_creates("prod-workspace", prod_workspace)
    assert sorted(d["path"] for d in after_of(prod_workspace, "databricks_directory"))[0] == "/Shared/mlops/prod"
    platform_outputs = cross_stack_outputs(json.loads(prod_platform_state.read_text()),
                                           ["id", "workspace_url", "id", "vault_uri"])
    [remote_state] = [r for r in plan["prior_state"]["values"]["root_module"]["resources"]
                      if r["type"] == "terraform_remote_state"]
    assert remote_state["values"]["outputs"] == platform_outputs


# --- a real plan for the review tool -----------------------------------------------------------

PLAN_FIXTURE = REFERENCE.parents[1] / "review" / "prodfix-workspace.plan.json"


def make_next_commit(root: Path) -> None:
    """What a pull request might change: resize training, drop a job, remove a member and an ACL."""
    project = root / "projects" / "churn" / "project.yaml"
    project.write_text(project.read_text().replace("overrides:\n", (
        "overrides:\n  prodfix:\n    jobs/model-train.yml:\n      job_clusters: [{job_cluster_key: main, "
        "new_cluster: {num_workers: 4}}]\n"), 1))
    (root / "projects" / "churn" / "jobs" / "model-deployment.yml").unlink()
    prodfix = root / "envs" / "prodfix.yaml"
    prodfix.write_text(prodfix.read_text().replace(
        "groups:\n  ml-engineers:", "groups:\n  data-scientists:\n    users: [alice.nguyen@contoso.com]\n  ml-engineers:"))
    access = root / "envs" / "access.yaml"
    access.write_text(access.read_text().replace("  readers:\n    experiment: CAN_READ",
                                                 "  readers:\n    experiment: {prodfix: null, default: CAN_READ}"))


def test_review_summary_from_a_real_plan_of_the_next_commit(project: OfflineProject) -> None:
    """Apply this commit's prodfix (the deploy test did, or do it now), change the config as a pull
    request would, plan it with real Terraform and summarize `terraform show -json`."""
    env = project.offline_env
    if not (project.state_dir / "prodfix-workspace.tfstate").exists():
        run([str(CDKTF), "deploy", "prodfix-*", "--auto-approve", "--skip-provider-lock"],
            project.root, env, timeout=150)
    make_next_commit(project.root)
    run([str(VENV_PYTHON), "-m", "mlops_iac.app", "synth"], project.root, env, timeout=120)
    stack_dir = project.root / "cdktf.out" / "stacks" / "prodfix-workspace"
    terraform(["init", "-input=false", "-no-color"], stack_dir, env)
    terraform(["plan", "-input=false", "-lock=false", "-no-color", "-out", "plan.out"], stack_dir, env)
    plan = json.loads(terraform(["show", "-json", "-no-color", "plan.out"], stack_dir, env).stdout)
    if os.environ.get("MLOPS_WRITE_PLAN_FIXTURE"):
        plan.pop("timestamp", None)
        PLAN_FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        PLAN_FIXTURE.write_text(json.dumps(plan, indent=1, sort_keys=True) + "\n")

    from mlops_iac.review.changes import from_plan
    changes = from_plan(plan, "prodfix-workspace").changes
    actions = sorted((c.action, c.rtype) for c in changes)
    assert actions == [("delete", "databricks_group_member"), ("delete", "databricks_job"),
                       ("delete", "databricks_permissions"), ("update", "databricks_job"),
                       ("update", "databricks_permissions"), ("update", "databricks_permissions")], actions
