"""Terraform CLI calls the plan command makes, behind a small interface so tests can swap it."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Mapping, Optional, Protocol

# Terraform pinned in the CI templates and used by the tests: one place to read it from.
TERRAFORM_VERSION = "1.11.4"

QUIET_ENV = {"CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}


class TerraformError(Exception):
    def __init__(self, stack_dir: Path, args: list[str], output: str) -> None:
        self.output = output
        super().__init__(f"terraform {' '.join(args)} failed in {stack_dir}")


class TerraformRunner(Protocol):
    def init(self, stack_dir: Path) -> None: ...
    def outputs(self, stack_dir: Path) -> dict: ...
    def plan_json(self, stack_dir: Path) -> dict: ...
    def plan_file(self, stack_dir: Path) -> str: ...
    def apply_file(self, stack_dir: Path) -> None: ...


class TerraformCli:
    """The real terraform binary; checkpoint off, no prompts, output kept for error reports."""

    def __init__(self, environ: Optional[Mapping[str, str]] = None, binary: str = "terraform") -> None:
        self.env = {**(environ if environ is not None else os.environ), **QUIET_ENV}
        self.binary = binary

    def _run(self, stack_dir: Path, *args: str) -> str:
        result = subprocess.run([self.binary, *args], cwd=stack_dir, env=self.env,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise TerraformError(stack_dir, list(args), result.stdout + result.stderr)
        return result.stdout

    def init(self, stack_dir: Path) -> None:
        # -reconfigure: a stack dir synthesized offline before must not offer to migrate state.
        self._run(stack_dir, "init", "-input=false", "-reconfigure", "-no-color")

    def outputs(self, stack_dir: Path) -> dict:
        """The outputs of the stack's applied state; {} when nothing was applied yet."""
        return json.loads(self._run(stack_dir, "output", "-json", "-no-color") or "{}")

    def plan_json(self, stack_dir: Path) -> dict:
        self._run(stack_dir, "plan", "-input=false", "-lock-timeout=5m", "-no-color", "-out", "plan.out")
        return json.loads(self._run(stack_dir, "show", "-json", "-no-color", "plan.out"))

    def plan_file(self, stack_dir: Path) -> str:
        """Plan into deploy.tfplan; the plan's one-line summary ("Plan: 3 to add, ...")."""
        planned = self._run(stack_dir, "plan", "-input=false", "-lock-timeout=5m", "-no-color",
                            "-compact-warnings", "-out", "deploy.tfplan")
        return next((line for line in planned.splitlines()
                     if line.startswith(("Plan:", "No changes."))), "planned")

    def apply_file(self, stack_dir: Path) -> None:
        """Apply exactly deploy.tfplan, streaming terraform's one line per resource change."""
        args = [self.binary, "apply", "-input=false", "-lock-timeout=5m", "-no-color",
                "-compact-warnings", "deploy.tfplan"]
        if subprocess.run(args, cwd=stack_dir, env=self.env).returncode != 0:
            raise TerraformError(stack_dir, args[1:2], "(output above)")
