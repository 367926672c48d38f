"""The offline trial and the new-environment flow, with real Terraform and the real cdktf CLI
against the provider stand-ins of ../shared/offline-terraform, on a fixture estate of its own.

A new greenfield environment with azurerm state: its pull request plans the platform stack and
reports the workspace stack as waiting for the platform apply; after the platform apply the
workspace stack plans. `make deploy OFFLINE=1` then deploys the whole environment through
cdktf with every state file in .offline-state/ - never in the configured backend.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.mlops_iac.app.ci_estate import DEV, FILES, write_estate

from tests.integration import offline
from tests.integration.offline import NODE_BIN, OFFLINE_CACHE, OFFLINE_TERRAFORM, REPO, missing_prerequisite

VENV = REPO / ".venv"
PROJECT_FILES = ("cdktf.json", "Makefile", "pyproject.toml", "requirements.lock", "package.json",
                 "package-lock.json", ".npmrc")
PACKAGES = tuple(sorted(p.parent.name for p in REPO.glob("*/__init__.py") if p.parent.name != "tests"))

if (_reason := missing_prerequisite()) is not None:
    pytest.skip(_reason, allow_module_level=True)

pytestmark = pytest.mark.integration

# dev creates its workspace and keeps azurerm state: unreachable here, hence offline mode.
GREENFIELD_AZURERM = DEV.replace("  backend: local\n  sandbox: true\n", (
    "  backend: azurerm\n  resource_group: rg-tfstate\n  storage_account: stciestatedev\n"
    "  container: tfstate\n  key_prefix: dev/\n"))


def run(args: list[str], cwd: Path, env: dict, timeout: float = 240) -> subprocess.CompletedProcess:
    """The shared runner (fails with the output's tail), with this workflow's longer default."""
    return offline.run(args, cwd, env, timeout)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, dict]:
    """A copy of the tool with the fixture estate; the environment of a laptop (no CI)."""
    root = tmp_path_factory.mktemp("offline-workflow") / "project"
    root.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(REPO / name, root / name)  # copy2 keeps mtimes: make sees setup as done
    for name in PACKAGES:
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in (".venv", "node_modules"):
        (root / name).symlink_to(REPO / name, target_is_directory=True)
    write_estate(root, dict(FILES, **{"dev.yaml": GREENFIELD_AZURERM}))
    (root / "projects").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "MLOPS_IAC_OFFLINE_STATE_DIR", "TF_CLI_CONFIG_FILE")}
    env.update(PATH=os.pathsep.join([str(NODE_BIN), env.get("PATH", "")]), NO_COLOR="1",
               CHECKPOINT_DISABLE="1", PYTHONDONTWRITEBYTECODE="1", CDKTF_DISABLE_PLUGIN_CACHE_ENV="1")
    config = run(["bash", str(OFFLINE_TERRAFORM / "setup.sh"), str(OFFLINE_CACHE.resolve())], REPO, env, 300)
    env["TF_CLI_CONFIG_FILE"] = config.stdout.strip().rsplit("=", 1)[1]
    return root, env


def make(*args: str) -> list[str]:
    """make in the copy, its set-up taken as done (.venv and node_modules are the repository's)."""
    return ["make", "-o", ".venv/.installed", "-o", "node_modules/.installed", *args,
            f"OFFLINE_TERRAFORM={OFFLINE_TERRAFORM}", f"OFFLINE_CACHE={OFFLINE_CACHE.resolve()}"]


def plans(root: Path) -> dict[str, dict]:
    return {e["stack"]: e for e in json.loads((root / "cdktf.out" / "plans" / "plans.json").read_text())}


def test_new_environment_waits_for_its_platform_apply_then_plans_and_deploys_offline(project):
    root, env = project
    mlops = [str(VENV / "bin" / "python"), "-m", "mlops_iac.app"]

    # GIVEN a new greenfield environment: nothing applied yet
    out = run(mlops + ["plan", "--offline", "dev-*"], root, env).stdout
    first = plans(root)
    assert first["dev-platform"]["status"] == "planned"
    assert first["dev-workspace"]["status"] == "waiting" and first["dev-workspace"]["waiting_for"] == "dev-platform"
    # reported with what it will create (read from the synthesized stack)
    assert "dev-workspace: waiting for dev-platform apply (1 resource (1 directory); 1 data source)" in out
    platform_plan = json.loads((root / "cdktf.out" / "plans" / "dev-platform.json").read_text())
    created = {c["type"] for c in platform_plan["resource_changes"] if c["change"]["actions"] == ["create"]}
    assert "azurerm_databricks_workspace" in created
    assert "| `dev-workspace` | waiting for `dev-platform` apply |" in (root / "cdktf.out" / "plans" / "plans.md").read_text()

    # WHEN the platform stack is applied (plain terraform, as CI deploys)
    deployed = run(mlops + ["deploy", "--offline", "--auto-approve", "dev-platform"], root, env).stdout
    assert "dev-platform: Plan: " in deployed and "Apply complete!" in deployed
    # a CI log: no spinner frames or colour codes, about two lines per resource
    assert "\x1b[" not in deployed and len(deployed.splitlines()) < 40, deployed

    # THEN the workspace stack plans for real, reading the platform's outputs
    run(mlops + ["plan", "--offline", "dev-*"], root, env)
    second = plans(root)
    assert second["dev-workspace"]["status"] == "planned", second
    workspace_plan = json.loads((root / "cdktf.out" / "plans" / "dev-workspace.json").read_text())
    folders = [c["change"]["after"]["path"] for c in workspace_plan["resource_changes"]
               if c["type"] == "databricks_directory"]
    assert folders == ["/Shared/mlops/dev"]

    # AND make deploy OFFLINE=1 deploys the whole environment through cdktf, state in .offline-state/
    run(make("deploy", "OFFLINE=1", "STACKS=dev-*", "AUTO_APPROVE=1", "DEPLOY_WITH=cdktf"), root, env, timeout=300)
    workspace_state = json.loads((root / ".offline-state" / "dev-workspace.tfstate").read_text())
    assert any(r["type"] == "databricks_directory" for r in workspace_state["resources"])
    assert sorted(p.name for p in (root / ".offline-state").glob("*.tfstate")) == [
        "dev-platform.tfstate", "dev-workspace.tfstate"]
    assert not (root / "terraform-state").exists()  # nothing next to the configured (azurerm) backend


def test_make_plan_offline_passes_extra_cdktf_arguments(project):
    """`make plan OFFLINE=1 STACK=... ARGS=...`: the azurerm-backend stack plans against the stand-ins."""
    root, env = project
    result = run(make("plan", "OFFLINE=1", "STACK=stg-platform", "ARGS=--no-color"), root, env, timeout=300)
    assert "cdktf plan stg-platform --skip-provider-lock --no-color" in result.stdout
    assert "azurerm_storage_account" in result.stdout and "to add" in result.stdout


def test_offline_mode_is_refused_in_ci(project):
    root, env = project
    result = subprocess.run([str(VENV / "bin" / "python"), "-m", "mlops_iac.app", "plan", "--offline", "stg-*"],
                            cwd=root, env=dict(env, CI="true"), capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "must never run in a pipeline" in result.stderr
