"""The estate through real Terraform, offline (../shared/offline-terraform stands in for the
azurerm and databricks providers): every stack passes `terraform validate`, and the first
development environment deploys end to end, whatever its state backend (remote backends are
replaced by local state through override files, as a newcomer's offline trial would)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.estate.conftest import snapshot_ids
from tests.integration.offline import (
    REMOTE_STATE_PREFIX, missing_prerequisite, offline_cli_config, plan_offline, planned_changes, subprocess_env,
    tail, terraform,
)

if (_reason := missing_prerequisite()) is not None:
    pytest.skip(_reason, allow_module_level=True)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def terraform_env() -> dict[str, str]:
    env = subprocess_env()
    env["TF_CLI_CONFIG_FILE"] = offline_cli_config(env)
    return env


def stack_copy(estate_out: Path, stack_id: str, dest: Path) -> Path:
    """A private copy of one synthesized stack, so Terraform's files stay out of the shared synth."""
    return Path(shutil.copytree(estate_out / "stacks" / stack_id, dest / stack_id))


@pytest.mark.parametrize("stack_id", snapshot_ids())
def test_every_stack_passes_terraform_validate(estate_out, terraform_env, tmp_path, stack_id):
    from tests.integration.offline import validate

    if not (estate_out / "stacks" / stack_id).is_dir():
        pytest.fail(f"{stack_id} has a snapshot but is not synthesized: run `make golden`")
    report = validate(stack_copy(estate_out, stack_id, tmp_path), terraform_env)
    assert report["valid"] is True


def first_development_environment(estate_synth) -> str:
    environments, _, _ = estate_synth
    development = [e.config.name for e in environments if e.config.stage == "development"]
    if not development:
        pytest.skip("the estate has no development environment to deploy offline")
    return development[0]


def test_the_first_development_environment_deploys_offline_end_to_end(
        estate_synth, estate_out, estate_stacks, terraform_env, tmp_path):
    # GIVEN the stacks of the first development environment, in the manifest's dependency order
    env_name = first_development_environment(estate_synth)
    stacks = [s for s in estate_stacks if s.startswith(f"{env_name}-")]
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    # WHEN each is planned and applied against local state (backend and remote state overridden)
    for stack_id in stacks:
        stack_dir = stack_copy(estate_out, stack_id, tmp_path)
        remote = {name[len(REMOTE_STATE_PREFIX):]: state_dir / f"{name[len(REMOTE_STATE_PREFIX):]}.tfstate"
                  for name in estate_stacks[stack_id].get("data", {}).get("terraform_remote_state", {})}
        changes = planned_changes(plan_offline(stack_dir, terraform_env, state_dir, remote_state_paths=remote))
        assert changes, f"{stack_id}: a first plan creates nothing"
        terraform(["apply", "-input=false", "-lock=false", "-auto-approve", "-no-color", "plan.out"],
                  stack_dir, terraform_env, timeout=180)
        # THEN the state holds every planned resource and a second plan is empty: the deploy converged
        state = json.loads((state_dir / f"{stack_id}.tfstate").read_text())
        applied = {f"{r['type']}.{r['name']}" for r in state["resources"] if r["mode"] == "managed"}
        assert {c["address"].split("[")[0] for c in changes} <= applied, stack_id
        result = terraform(["plan", "-input=false", "-lock=false", "-no-color", "-detailed-exitcode"],
                           stack_dir, terraform_env, ok_codes=(0, 2), timeout=180)
        assert result.returncode == 0, f"{stack_id}: changes after apply:\n{tail(result.stdout)}"
