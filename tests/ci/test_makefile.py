"""The Makefile targets CI and users run: extra cdktf arguments, offline mode, the CI deploy path,
where review output goes, and that .gitignore covers what the tools write. `make -n` prints the
commands without running them (setup is taken as done)."""
import shutil
import subprocess

import pytest

from tests.conftest import REPO

DONE = ["-o", ".venv/.installed", "-o", "node_modules/.installed"]


def make_n(*args: str, ci: bool = False) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(REPO)}
    if ci:
        env["CI"] = "true"
    result = subprocess.run(["make", "-n", *DONE, *args], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return "\n".join(" ".join(line.split()) for line in result.stdout.splitlines())  # one space per gap


def test_plan_passes_extra_cdktf_arguments():
    assert "cdktf plan qa-workspace --skip-provider-lock" in make_n("plan", "STACK=qa-workspace",
                                                                    "ARGS=--skip-provider-lock")


def test_offline_mode_sets_local_state_and_the_stand_in_providers():
    plan = make_n("plan", "STACK=qa-platform", "OFFLINE=1")
    assert f"MLOPS_IAC_OFFLINE_STATE_DIR={REPO}/.offline-state" in plan
    assert "offline-terraform/setup.sh" in plan and "cdktf plan qa-platform --skip-provider-lock" in plan
    assert "python -m stacks plan qa-* --offline" in make_n("plan-json", "STACK=qa-*", "OFFLINE=1")
    assert "MLOPS_IAC_OFFLINE_STATE_DIR" not in make_n("plan", "STACK=qa-platform")


@pytest.fixture
def fake_tools(tmp_path):
    """make deploy for real, with cdktf and the venv's python replaced by scripts that only say
    how they were called."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("cdktf", "python"):
        (bin_dir / name).write_text(f'#!/bin/sh\necho "ran {name} $*"\n')
        (bin_dir / name).chmod(0o755)

    def deploy(*args: str, ci: bool = False, tty: bool = False) -> str:
        command = ["make", "--no-print-directory", *DONE, "deploy", "STACKS=qa-*", "AUTO_APPROVE=1",
                   f"PY={bin_dir / 'python'}", f"PATH={bin_dir}:/usr/bin:/bin", *args]  # PATH beats the Makefile's
        if tty:  # `script` gives make a terminal, as a person typing the command has
            command = ["script", "-qec", " ".join(f"'{a}'" for a in command), "/dev/null"]
        env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}
        if ci:
            env["CI"] = "true"
        result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stdout + result.stderr
        return [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("ran ")][0]
    return deploy


def test_deploy_in_ci_or_into_a_log_applies_with_plain_terraform(fake_tools):
    assert fake_tools(ci=True) == "ran python -m stacks deploy qa-* --auto-approve"
    assert fake_tools() == "ran python -m stacks deploy qa-* --auto-approve"  # output not a terminal


@pytest.mark.skipif(shutil.which("script") is None, reason="needs util-linux `script` for a terminal")
def test_deploy_on_a_terminal_is_cdktf_with_extra_arguments(fake_tools):
    assert fake_tools("ARGS=--parallelism 1", tty=True) == "ran cdktf deploy qa-* --auto-approve --parallelism 1"
    assert fake_tools(tty=True, ci=True).startswith("ran python -m stacks deploy")


def test_deploy_with_forces_the_tool(fake_tools):
    assert fake_tools("DEPLOY_WITH=cdktf", "ARGS=--skip-provider-lock") == \
        "ran cdktf deploy qa-* --auto-approve --skip-provider-lock"


def test_review_writes_inside_cdktf_out_unless_told_otherwise():
    assert "--output cdktf.out/change-summary.md summary --base base/cdktf.out" in make_n("review", "BASE=base/cdktf.out")
    assert "--output /tmp/x/summary.md" in make_n("review", "BASE=b", "REVIEW_OUT=/tmp/x/summary.md")


@pytest.mark.parametrize("path", [
    ".offline-state/prodfix-platform.tfstate", ".offline-terraform/terraformrc", "terraform-state/a.tfstate",
    "cdktf.out/plans/qa-platform.json", "cdktf.out.staging-x1/manifest.json", "change-summary.md",
    "plan-qa-platform.md", "deploy.tfplan", ".terraform/providers/x", "stacks/__pycache__/cli.cpython-311.pyc"])
def test_gitignore_covers_what_the_tools_write(path, tmp_path):
    # Asked in a scratch repository holding only the .gitignore: the answer depends on the rules
    # alone, not on what the checkout holds (a fork may link .offline-terraform elsewhere).
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True, timeout=30)
    (tmp_path / ".gitignore").write_bytes((REPO / ".gitignore").read_bytes())
    result = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=tmp_path, timeout=30)
    assert result.returncode == 0, f"{path} is not ignored"
