"""Offline deploy under faults, with real Terraform against ../shared/offline-terraform's stand-ins:
a deploy SIGKILLed mid-apply and run again converges; a held state lock makes deploy fail with a
message naming the lock (after waiting --lock-timeout), not terraform's raw output.

The stand-ins keep no server side: "no duplicated resources" is checked in the state (each
synthesized resource exactly once), which is what a rerun against a real cloud relies on too.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.integration.offline import missing_prerequisite
from tests.integration.test_offline_workflow import REPO, VENV, run
from tests.integration.test_offline_workflow import project as offline_project  # noqa: F401 (fixture)
from tests.mlops_iac.app.ci_estate import FILES, write_estate

if (_reason := missing_prerequisite()) is not None:
    pytest.skip(_reason, allow_module_level=True)

pytestmark = pytest.mark.integration
MLOPS = [str(VENV / "bin" / "python"), "-m", "mlops_iac.app"]
STACKS = ("dev-platform", "dev-workspace")


@pytest.fixture
def project(offline_project, tmp_path):  # noqa: F811
    """The offline project copy with the small CI estate (dev: local sandbox state), fresh state."""
    root, env = offline_project
    write_estate(root, FILES)
    state = tmp_path / "state"
    state.mkdir()
    env = dict(env, MLOPS_IAC_OFFLINE_STATE_DIR=str(state))
    return root, env, state


def state_addresses(state: Path, stack: str) -> list[str]:
    path = state / f"{stack}.tfstate"
    if not path.exists() or not path.read_text().strip():
        return []
    return [f"{r['type']}.{r['name']}" for r in json.loads(path.read_text())["resources"] if r["mode"] == "managed"]


def synthesized_addresses(root: Path, stack: str) -> list[str]:
    stack_json = json.loads((root / "cdktf.out" / "stacks" / stack / "cdk.tf.json").read_text())
    return [f"{rtype}.{name}" for rtype, items in stack_json.get("resource", {}).items() for name in items]


def test_a_deploy_killed_mid_apply_converges_when_run_again(project):
    root, env, state = project
    deploy = subprocess.Popen(MLOPS + ["deploy", "--offline", "--auto-approve", "dev-*"], cwd=root, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = []
    try:
        deadline = time.monotonic() + 240
        for line in deploy.stdout:  # kill the whole group (python and terraform) at the first creation
            seen.append(line)
            if "Creation complete" in line or time.monotonic() > deadline:
                os.killpg(deploy.pid, signal.SIGKILL)
                break
    finally:
        if deploy.poll() is None:
            os.killpg(deploy.pid, signal.SIGKILL)
        deploy.wait(timeout=30)
        deploy.stdout.close()
    assert any("Creation complete" in line for line in seen), "".join(seen)[-3000:]
    assert deploy.returncode == -signal.SIGKILL
    assert not list(root.glob("cdktf.out.staging-*"))

    rerun = run(MLOPS + ["deploy", "--offline", "--auto-approve", "dev-*"], root, env, timeout=300)
    assert "Apply complete!" in rerun.stdout
    for stack in STACKS:
        addresses = state_addresses(state, stack)
        assert sorted(addresses) == sorted(synthesized_addresses(root, stack)), stack  # none lost, none twice
    planned = run(MLOPS + ["plan", "--offline", "dev-*"], root, env, timeout=300)
    results = {r["stack"]: r for r in json.loads((root / "cdktf.out" / "plans" / "plans.json").read_text())}
    assert {s: results[s]["detail"] for s in STACKS} == {s: "0 resource changes" for s in STACKS}, planned.stdout


def test_a_held_state_lock_makes_deploy_fail_with_a_message_naming_it(project, tmp_path):
    root, env, state = project
    run(MLOPS + ["deploy", "--offline", "--auto-approve", "dev-platform"], root, env, timeout=300)
    # the other terraform works on a copy of the stack (the deploy's synth replaces cdktf.out/)
    stack_dir = tmp_path / "holder"
    stack_dir.mkdir()
    shutil.copy2(root / "cdktf.out" / "stacks" / "dev-platform" / "cdk.tf.json", stack_dir)
    run(["terraform", "init", "-input=false", "-no-color"], stack_dir, env, timeout=120)
    # another terraform holds the state lock: a destroy waiting at its confirmation prompt
    holder = subprocess.Popen(["terraform", "destroy", "-no-color"], cwd=stack_dir,
                              env={k: v for k, v in env.items() if k not in ("TF_INPUT", "TF_IN_AUTOMATION")},
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lock_info = state / ".dev-platform.tfstate.lock.info"
        deadline = time.monotonic() + 120
        while not lock_info.exists() and time.monotonic() < deadline and holder.poll() is None:
            time.sleep(0.2)
        assert lock_info.exists(), f"terraform destroy did not take the state lock: {sorted(os.listdir(state))}"
        started = time.monotonic()
        result = subprocess.run(MLOPS + ["deploy", "--offline", "--auto-approve", "--lock-timeout=3s",
                                         "dev-platform"], cwd=root, env=env, capture_output=True, text=True,
                                timeout=300)
        waited = time.monotonic() - started
        holder_alive = holder.poll() is None
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert holder_alive, holder.stdout.read()
    assert result.returncode == 1, result.stdout + result.stderr
    assert waited >= 3
    failed = [line for line in result.stdout.splitlines() if line.startswith("dev-platform: FAILED")]
    assert len(failed) == 1, result.stdout
    assert f"state of dev-platform is locked ({state / 'dev-platform.tfstate'}: " in failed[0]
    assert "waited 3s" in failed[0] and "terraform force-unlock" in failed[0]
    assert "Error acquiring the state lock" not in result.stdout  # terraform's box is not dumped
    holder.stdout.close()
