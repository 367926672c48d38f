"""`mlops-iac run-tests --env ENV`: the integration-test gate before production. The Databricks
SDK is replaced by a fake JobsClient; the job names come from a fixture estate's project."""
from __future__ import annotations

import argparse
from datetime import timedelta

import pytest

from mlops_iac.config import ConfigError
from mlops_iac.app.run_tests import RunOutcome, cmd_run_tests, integration_test_jobs, run_gate
from tests.mlops_iac.app.ci_estate import write_project_estate


class FakeJobs:
    """A workspace holding some jobs; each run ends with the result given for its job."""

    def __init__(self, results: dict[str, str]) -> None:
        self.ids = {name: n for n, name in enumerate(sorted(results), 100)}
        self.results = results
        self.runs: list[str] = []

    def find_job(self, name: str):
        return self.ids.get(name) if self.results.get(name) != "ABSENT" else None

    def run_and_wait(self, job_id: int, timeout: timedelta) -> RunOutcome:
        name = next(n for n, i in self.ids.items() if i == job_id)
        self.runs.append(name)
        assert timeout == timedelta(minutes=5)
        return RunOutcome(self.results[name], url=f"https://adb/run/{job_id}",
                          message="" if self.results[name] == "SUCCESS" else "Task run failed")


def args(envs, env: str) -> argparse.Namespace:
    return argparse.Namespace(envs=envs, env=env, timeout_minutes=5)


def test_runs_every_test_job_of_the_environment_and_passes(tmp_path, capsys):
    envs = write_project_estate(tmp_path)
    fake = FakeJobs({"stg-demo-test-smoke": "SUCCESS", "stg-demo-test-e2e": "SUCCESS",
                     "stg-demo-train": "SUCCESS"})
    assert cmd_run_tests(args(envs, "stg"), fake) == 0
    assert fake.runs == ["stg-demo-test-e2e", "stg-demo-test-smoke"]  # tests only, never other jobs
    out = capsys.readouterr().out
    assert "PASSED stg-demo-test-smoke: SUCCESS - https://adb/run/" in out
    assert "stg: 2 test job(s), all passed" in out


def test_a_failed_run_fails_the_gate_and_the_other_tests_still_run(tmp_path, capsys):
    envs = write_project_estate(tmp_path)
    fake = FakeJobs({"stg-demo-test-smoke": "SUCCESS", "stg-demo-test-e2e": "FAILED"})
    assert cmd_run_tests(args(envs, "stg"), fake) == 1
    assert fake.runs == ["stg-demo-test-e2e", "stg-demo-test-smoke"]
    out = capsys.readouterr().out
    assert "FAILED stg-demo-test-e2e: FAILED - https://adb/run/100 Task run failed" in out
    assert "gate FAILED" in out


def test_a_missing_job_fails_the_gate(tmp_path, capsys):
    envs = write_project_estate(tmp_path)
    fake = FakeJobs({"stg-demo-test-smoke": "SUCCESS", "stg-demo-test-e2e": "ABSENT"})
    assert cmd_run_tests(args(envs, "stg"), fake) == 1
    assert fake.runs == ["stg-demo-test-smoke"]
    assert "MISSING stg-demo-test-e2e: no single job with this name" in capsys.readouterr().out


def test_an_environment_without_test_jobs_passes_without_calling_databricks(tmp_path, capsys):
    envs = write_project_estate(tmp_path)

    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError(f"Databricks was called ({name}) for an environment without tests")

    assert cmd_run_tests(args(envs, "dev"), Untouchable()) == 0
    assert "dev: no integration-test jobs deployed here" in capsys.readouterr().out


def test_an_unknown_environment_is_an_error_with_a_suggestion(tmp_path):
    envs = write_project_estate(tmp_path)
    with pytest.raises(ConfigError) as caught:
        integration_test_jobs(envs, "stgg")
    [diagnostic] = caught.value.diagnostics
    assert "no environment 'stgg'" in diagnostic.render() and diagnostic.suggestion == "stg"


def test_timeouts_and_internal_errors_of_a_run_fail_the_gate():
    fake = FakeJobs({"a": "TIMEDOUT", "b": "ERROR"})
    lines: list[str] = []
    assert run_gate(["a", "b"], fake, timedelta(minutes=5), lines.append) is False
    assert [line.split(":")[0] for line in lines] == ["FAILED a", "FAILED b"]


class FakeWorkspace:
    """The two databricks-sdk calls SdkJobsClient makes, answering with real SDK types."""

    def __init__(self, jobs: dict[str, int], run=None, error: Exception | None = None) -> None:
        from databricks.sdk.service.jobs import BaseJob

        outer = self

        class Jobs:
            def list(self, name=None):
                return [BaseJob(job_id=i) for n, i in jobs.items() if n == name]

            def run_now(self, job_id):
                outer.started.append(job_id)

                class Waiter:
                    def result(self, timeout):
                        if error is not None:
                            raise error
                        return run
                return Waiter()

        self.jobs = Jobs()
        self.started: list[int] = []


def test_the_sdk_client_maps_runs_and_errors_to_outcomes():
    from databricks.sdk.errors import OperationFailed
    from databricks.sdk.service.jobs import Run, RunResultState, RunState

    from mlops_iac.app.run_tests import SdkJobsClient

    failed = Run(run_page_url="https://adb/run/7",
                 state=RunState(result_state=RunResultState.FAILED, state_message="Task train failed"))
    client = SdkJobsClient(FakeWorkspace({"stg-demo-test-e2e": 7, "twice": 8}, run=failed))
    assert client.find_job("stg-demo-test-e2e") == 7 and client.find_job("absent") is None
    assert client.run_and_wait(7, timedelta(minutes=1)) == RunOutcome("FAILED", "https://adb/run/7", "Task train failed")

    broken = SdkJobsClient(FakeWorkspace({}, error=OperationFailed("failed to reach TERMINATED, got INTERNAL_ERROR")))
    outcome = broken.run_and_wait(9, timedelta(minutes=1))
    assert outcome.result == "ERROR" and "INTERNAL_ERROR" in outcome.message
    assert broken.workspace.started == [9]
