"""Terraform CLI calls the plan command makes, behind a small interface so tests can swap it."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Mapping, Optional, Protocol

# Terraform pinned in the CI templates and used by the tests: one place to read it from.
TERRAFORM_VERSION = "1.11.4"

QUIET_ENV = {"CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}
# How long plan and apply wait for a state lock another terraform holds (deploy --lock-timeout).
DEFAULT_LOCK_TIMEOUT = "5m"
LOCK_ERROR = "Error acquiring the state lock"


class TerraformError(Exception):
    def __init__(self, stack_dir: Path, args: list[str], output: str) -> None:
        self.output = output
        super().__init__(f"terraform {' '.join(args)} failed in {stack_dir}")


class StateLocked(TerraformError):
    """The state is locked by another terraform (or by one that was killed: remote locks stay)."""

    def __init__(self, stack_dir: Path, args: list[str], output: str, timeout: str) -> None:
        super().__init__(stack_dir, args, output)
        info = dict(re.findall(r"^\s*(ID|Path|Operation|Who|Created):\s*(.*?)\s*$", output, re.MULTILINE))
        self.lock_id = info.get("ID", "")
        self.args = (f"state of {stack_dir.name} is locked ({info.get('Path', 'lock path unknown')}: "
                     f"{info.get('Operation', 'operation unknown')} by {info.get('Who', 'unknown')} "
                     f"since {info.get('Created', 'unknown')}); waited {timeout}. Wait for that run "
                     f"or pass --lock-timeout; if it was killed, `terraform force-unlock "
                     f"{self.lock_id or '<ID>'}` in {stack_dir}",)
        self.output = ""  # the message says it all; terraform's box adds nothing


def _finish(process: subprocess.Popen) -> tuple[str, str]:
    """Wait for terraform even when this run is interrupted: a terraform killed mid-apply loses
    the state of what it created (and a remote state lock stays held). On Ctrl-C it received the
    signal too (same process group) and stops gracefully by itself."""
    try:
        return process.communicate()
    except BaseException:
        process.communicate()
        raise


class TerraformRunner(Protocol):
    def init(self, stack_dir: Path) -> None: ...
    def outputs(self, stack_dir: Path) -> dict: ...
    def plan_json(self, stack_dir: Path) -> dict: ...
    def plan_file(self, stack_dir: Path) -> str: ...
    def apply_file(self, stack_dir: Path) -> None: ...


class TerraformCli:
    """The real terraform binary; checkpoint off, no prompts, output kept for error reports."""

    def __init__(self, environ: Optional[Mapping[str, str]] = None, binary: str = "terraform",
                 lock_timeout: str = DEFAULT_LOCK_TIMEOUT) -> None:
        self.env = {**(environ if environ is not None else os.environ), **QUIET_ENV}
        self.binary = binary
        self.lock_timeout = lock_timeout

    def _error(self, stack_dir: Path, args: list[str], output: str) -> TerraformError:
        if LOCK_ERROR in output:
            return StateLocked(stack_dir, args, output, self.lock_timeout)
        return TerraformError(stack_dir, args, output)

    def _run(self, stack_dir: Path, *args: str) -> str:
        process = subprocess.Popen([self.binary, *args], cwd=stack_dir, env=self.env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        stdout, stderr = _finish(process)
        if process.returncode != 0:
            raise self._error(stack_dir, list(args), stdout + stderr)
        return stdout

    def init(self, stack_dir: Path) -> None:
        # -reconfigure: a stack dir synthesized offline before must not offer to migrate state.
        self._run(stack_dir, "init", "-input=false", "-reconfigure", "-no-color")

    def outputs(self, stack_dir: Path) -> dict:
        """The outputs of the stack's applied state; {} when nothing was applied yet."""
        return json.loads(self._run(stack_dir, "output", "-json", "-no-color") or "{}")

    def plan_json(self, stack_dir: Path) -> dict:
        self._run(stack_dir, "plan", "-input=false", f"-lock-timeout={self.lock_timeout}", "-no-color", "-out", "plan.out")
        return json.loads(self._run(stack_dir, "show", "-json", "-no-color", "plan.out"))

    def plan_file(self, stack_dir: Path) -> str:
        """Plan into deploy.tfplan; the plan's one-line summary ("Plan: 3 to add, ...")."""
        planned = self._run(stack_dir, "plan", "-input=false", f"-lock-timeout={self.lock_timeout}", "-no-color",
                            "-compact-warnings", "-out", "deploy.tfplan")
        return next((line for line in planned.splitlines()
                     if line.startswith(("Plan:", "No changes."))), "planned")

    def apply_file(self, stack_dir: Path) -> None:
        """Apply exactly deploy.tfplan, streaming terraform's one line per resource change."""
        args = [self.binary, "apply", "-input=false", f"-lock-timeout={self.lock_timeout}", "-no-color",
                "-compact-warnings", "deploy.tfplan"]
        if subprocess.run(args, cwd=stack_dir, env=self.env).returncode != 0:
            raise TerraformError(stack_dir, args[1:2], "(output above)")
