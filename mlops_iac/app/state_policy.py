"""Where state may live in this run: local state is a sandbox choice and an error in CI unless
allowed; offline mode (local state in a throw-away folder) is for a laptop, never for CI.

cdktf-free: the synth, plan and stacks commands ask before anything is built.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Optional

from mlops_iac.config import Diagnostic
from mlops_iac.config.binder import diagnostic_at
from mlops_iac.config.pipeline import LoadedEnvironment

OFFLINE_STATE_ENV = "MLOPS_IAC_OFFLINE_STATE_DIR"  # offline trial: every stack's state goes here
ALLOW_LOCAL_STATE_ENV = "MLOPS_IAC_ALLOW_LOCAL_STATE"  # CI run that may use local state (tests)
DEFAULT_OFFLINE_STATE_DIR = ".offline-state"  # git-ignored, in the project root


class UsageError(Exception):
    """A command used in a way that could hurt (e.g. offline state in CI): say why, exit 1."""


def is_ci(environ: Mapping[str, str]) -> bool:
    return environ.get("CI", "").lower() in ("1", "true", "yes")


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").lower() in ("1", "true", "yes")


def offline_state_dir(environ: Mapping[str, str]) -> Optional[Path]:
    """The offline state folder when offline mode is on. Refused under CI=true: a pipeline that
    inherited the variable would 'deploy' into a throw-away folder and report success."""
    value = environ.get(OFFLINE_STATE_ENV)
    if not value:
        return None
    if is_ci(environ):
        raise UsageError(f"{OFFLINE_STATE_ENV} is set while CI=true: offline mode keeps state in a "
                         f"local folder and must never run in a pipeline (unset {OFFLINE_STATE_ENV})")
    return Path(value).resolve()


def local_state_in_ci(environments: list[LoadedEnvironment],
                      environ: Mapping[str, str]) -> list[Diagnostic]:
    """Under CI=true, every environment whose stacks keep local state, unless it is marked as a
    sandbox or this run allows it: a CI runner forgets local state when the job ends."""
    if not is_ci(environ) or _flag(environ, ALLOW_LOCAL_STATE_ENV) or environ.get(OFFLINE_STATE_ENV):
        return []
    return [
        diagnostic_at(loaded.locations, ("state", "backend"),
                      f"'{loaded.config.name}' keeps local Terraform state, which a CI runner loses "
                      "when the job ends (CI=true)",
                      "backend: azurerm (state per stack, locked); or, for a throw-away sandbox, "
                      f"state.sandbox: true; or {ALLOW_LOCAL_STATE_ENV}=1 for this run")
        for loaded in environments
        if loaded.config.state.backend == "local" and not loaded.config.state.sandbox
    ]
