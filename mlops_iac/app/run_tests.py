"""`mlops-iac run-tests --env ENV`: the gate before production - run the environment's
integration-test jobs (projects' tests/*.yml, deployed by the workspace stack), wait for each run,
print each result, exit 1 when a run fails or a job is missing.

The job names come from the config (the names the app gave them), so nothing is listed twice.
Auth is the Databricks SDK's unified auth from the environment: DATABRICKS_HOST plus Azure CLI or
OIDC in CI - never a token in config.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Optional, Protocol

from mlops_iac.config import ConfigError, Diagnostic, load_environments
from mlops_iac.config.diagnostics import closest
from mlops_iac.config.located import Location

PASSING = ("SUCCESS",)


@dataclass(frozen=True)
class RunOutcome:
    result: str  # SUCCESS, FAILED, TIMEDOUT, CANCELED, ... or ERROR when the run could not finish
    url: str = ""
    message: str = ""


class JobsClient(Protocol):
    """What the gate needs from Databricks; the SDK in production, a fake in tests."""

    def find_job(self, name: str) -> Optional[int]: ...
    def run_and_wait(self, job_id: int, timeout: timedelta) -> RunOutcome: ...


class SdkJobsClient:
    """JobsClient on databricks-sdk (imported only here, when the gate really runs)."""

    def __init__(self, workspace=None) -> None:
        if workspace is None:
            from databricks.sdk import WorkspaceClient

            workspace = WorkspaceClient()  # DATABRICKS_HOST + azure-cli / OIDC from the environment
        self.workspace = workspace

    def find_job(self, name: str) -> Optional[int]:
        matches = [job.job_id for job in self.workspace.jobs.list(name=name)]
        return matches[0] if len(matches) == 1 else None

    def run_and_wait(self, job_id: int, timeout: timedelta) -> RunOutcome:
        try:
            run = self.workspace.jobs.run_now(job_id=job_id).result(timeout=timeout)
        except Exception as error:  # OperationFailed (INTERNAL_ERROR), TimeoutError, API errors
            return RunOutcome("ERROR", message=str(error))
        state = run.state
        result = state.result_state.value if state and state.result_state else "UNKNOWN"
        return RunOutcome(result, run.run_page_url or "", (state.state_message or "") if state else "")


def integration_test_jobs(envs_dir: Path, environment: str) -> list[str]:
    """The names of the integration-test jobs deployed in one environment, from the config."""
    environments = {loaded.config.name: loaded.config for loaded in load_environments(envs_dir)}
    if environment not in environments:
        raise ConfigError([Diagnostic(Location("(command line)", 1, 1), "--env",
                                      f"no environment '{environment}'", ", ".join(environments),
                                      closest(environment, environments))])
    env = environments[environment]
    return [job.name for deployment in env.deployments for job in deployment.jobs if job.kind == "test"]


def run_gate(names: list[str], client: JobsClient, timeout: timedelta, out=print) -> bool:
    """Run every test job in turn (all of them, even after a failure); True when all passed."""
    passed = True
    for name in names:
        job_id = client.find_job(name)
        if job_id is None:
            out(f"MISSING {name}: no single job with this name in the workspace (deployed?)")
            passed = False
            continue
        outcome = client.run_and_wait(job_id, timeout)
        ok = outcome.result in PASSING
        passed &= ok
        detail = " ".join(part for part in (outcome.url, outcome.message) if part)
        out(f"{'PASSED' if ok else 'FAILED'} {name}: {outcome.result}" + (f" - {detail}" if detail else ""))
    return passed


def cmd_run_tests(args: argparse.Namespace, client: Optional[JobsClient] = None) -> int:
    names = integration_test_jobs(args.envs, args.env)
    if not names:
        print(f"{args.env}: no integration-test jobs deployed here (projects' tests/*.yml)")
        return 0
    passed = run_gate(names, client or SdkJobsClient(), timedelta(minutes=args.timeout_minutes))
    print(f"{args.env}: {len(names)} test job(s), {'all passed' if passed else 'gate FAILED'}")
    return 0 if passed else 1


def register(sub, envs_default: Path) -> None:
    p = sub.add_parser("run-tests", help="run an environment's integration-test jobs and wait (CI gate)")
    p.add_argument("--env", required=True, help="environment name, e.g. the staging environment")
    p.add_argument("--envs", type=Path, default=envs_default)
    p.add_argument("--timeout-minutes", type=int, default=90)
    p.set_defaults(run=cmd_run_tests)
