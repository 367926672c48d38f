"""The adoption scenario (slow: minutes): a team forks the repository, adds an environment and a
project the documented way, regenerates, and the whole test suite still passes.

It copies the repository into tmp_path (sources, estate, tests, Makefile, ...; .venv and
node_modules are linked, ../shared too when it exists, so the offline Terraform checks run in the
copy as well), runs `make new-env NAME=... FROM=<first development environment>`, `make
new-project NAME=...`, `make golden schema docs`, then the copy's whole suite, where this test
skips itself. Deselect it while iterating with `-m "not slow"`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mlops_iac.config import load_environments
from tests.conftest import REPO
from tests.integration.offline import NODE_BIN, VENV_PYTHON, tail

IN_SCENARIO = "MLOPS_IAC_IN_SCENARIO"  # set in the copy's run: the scenario does not recurse
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", ".venv-checkov", "node_modules", ".offline-terraform", ".pytest_cache", "cdktf.out", "cdktf.out.*",
    "terraform-state", "__pycache__", "*.egg-info", ".terraform", "change-summary.md")
LINKED = (".venv", ".venv-checkov", "node_modules", ".offline-terraform")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(os.environ.get(IN_SCENARIO)), reason="the scenario's own run of the suite"),
    pytest.mark.skipif(not VENV_PYTHON.exists() or shutil.which("make") is None,
                       reason="needs make and the project's .venv (make setup)"),
]


def fork(dest: Path) -> Path:
    """A copy of the repository as a team would fork it, with the heavy installs linked."""
    shutil.copytree(REPO, dest, ignore=NOT_COPIED, symlinks=True)
    # A fork is a git repository of its own (the .gitignore checks ask git).
    subprocess.run(["git", "init", "-q", str(dest)], check=True, capture_output=True, timeout=60)
    for name in LINKED:
        if (REPO / name).exists():
            (dest / name).symlink_to(REPO / name, target_is_directory=True)
    shared = REPO.parent / "shared"
    if shared.is_dir():
        (dest.parent / "shared").symlink_to(shared, target_is_directory=True)
    return dest


def unused(name: str, taken: set[str]) -> str:
    return next(f"{name}{n}" for n in range(2, 100) if f"{name}{n}" not in taken)


def make(root: Path, env: dict[str, str], *args: str, timeout: float = 300) -> str:
    """`make ARGS` in the copy; the installs are linked, so make must never rebuild them."""
    command = ["make", "-o", ".venv/.installed", "-o", "node_modules/.installed", *args]
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (f"`{' '.join(command)}` exited {result.returncode}\n"
                                    f"{tail(result.stdout)}\n{tail(result.stderr)}")
    return result.stdout


def test_a_fork_with_a_new_environment_and_project_keeps_the_whole_suite_green(tmp_path):
    root = fork(tmp_path / "fork")
    env = {**os.environ, IN_SCENARIO: "1", "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1",
           "PATH": os.pathsep.join([str(NODE_BIN), os.environ.get("PATH", "")])}
    env.pop("MLOPS_IAC_DEBUG", None)
    environments = [e.config for e in load_environments(root / "envs")]
    source = next(e.name for e in environments if e.stage == "development")
    new_env = unused("dev", {e.name for e in environments})
    new_project = unused("project", {p.name for p in (root / "projects").iterdir()})

    # WHEN a team adds an environment and a project the documented way, and regenerates
    out = make(root, env, "new-env", f"NAME={new_env}", f"FROM={source}")
    assert f"wrote envs/{new_env}.yaml" in out
    assert f"wrote projects/{new_project}/project.yaml" in make(root, env, "new-project", f"NAME={new_project}")
    make(root, env, "golden", "schema", "docs")
    assert (root / "tests" / "estate" / "golden" / f"{new_env}-workspace.tf.json").is_file()

    # THEN the copy's whole suite passes
    result = subprocess.run(
        [str(root / ".venv" / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"--basetemp={tmp_path / 'basetemp'}"],
        cwd=root, env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, f"the suite fails in the fork:\n{tail(result.stdout, 80)}\n{tail(result.stderr)}"
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary
    print(f"fork suite: {summary}")
