"""Specs against the pinned provider's schema: translation to its shape and field errors."""
from mlops_iac.config.projects.refs import Ref
from tests.mlops_iac.config.projects.helpers import JOB, deployments, errors, job

OVERVIEW_TRAINING = """\
name: training
email_notifications: {no_alert_for_skipped_runs: false}
timeout_seconds: 600
schedule: {quartz_cron_expression: 0 0 0 * * ?, timezone_id: US/Central, pause_status: UNPAUSED}
max_concurrent_runs: 1
tasks:
  - task_key: training
    notebook_task: {notebook_path: '{REPO_PATH}/src/notebooks/Train'}
    new_cluster: {spark_version: 11.0.x-cpu-ml-scala2.12, node_type_id: Standard_D3_v2, num_workers: 1}
    timeout_seconds: 600
    email_notifications: {}
    description: run model training
"""


def test_the_overview_training_example_works_as_written(tmp_path):
    body = job(deployments(tmp_path, {"jobs/training.yml": OVERVIEW_TRAINING})["prod"], "training")
    assert body["name"] == "prod-demo-training"
    assert body["schedule"] == {"quartz_cron_expression": "0 0 0 * * ?", "timezone_id": "US/Central",
                                "pause_status": "UNPAUSED"}
    [task] = body["task"]
    assert task["notebook_task"] == {"notebook_path": "/Repos/mlops-prod/demo/src/notebooks/Train"}
    assert task["new_cluster"]["spark_version"] == "11.0.x-cpu-ml-scala2.12"
    assert task["new_cluster"]["policy_id"] == Ref("policy", "jobs")
    assert task["email_notifications"] == {} and task["description"] == "run model training"


def test_api_plural_lists_become_the_providers_blocks(tmp_path):
    spec = JOB + "job_clusters:\n  - job_cluster_key: main\n    new_cluster: {num_workers: 1}\n" \
                 "parameters: [{name: run_date, default: today}]\n" \
                 "git_source: {git_url: 'https://github.com/contoso/demo', git_provider: gitHub, git_branch: main}\n"
    body = job(deployments(tmp_path, {"jobs/train.yml": spec})["dev"], "train")
    assert "tasks" not in body and body["task"][0]["task_key"] == "train"
    assert body["job_cluster"][0]["job_cluster_key"] == "main"
    assert body["parameter"] == [{"name": "run_date", "default": "today"}]
    assert body["git_source"] == {"url": "https://github.com/contoso/demo", "provider": "gitHub", "branch": "main"}


def test_fails_when_a_field_is_unknown_to_the_provider(tmp_path):
    found = errors(tmp_path, {"jobs/train.yml": JOB + "timout_seconds: 60\n"})
    assert len(found) == 1
    assert found[0].startswith("projects/demo/jobs/train.yml:6:1: timout_seconds: unknown field 'timout_seconds' "
                               "for provider databricks 1.99.0\n  (expected one of ")
    assert found[0].endswith("did you mean 'timeout_seconds'?")


def test_fails_when_a_nested_field_is_unknown(tmp_path):
    spec = JOB.replace("notebook_path:", "notebook_pth:")
    found = errors(tmp_path, {"jobs/train.yml": spec})
    assert found[0] == ("projects/demo/jobs/train.yml:4:20: tasks[train].notebook_task.notebook_path: "
                        "missing required field 'notebook_path'")
    assert found[1].startswith("projects/demo/jobs/train.yml:4:21: tasks[train].notebook_task.notebook_pth: unknown field")
    assert found[1].endswith("did you mean 'notebook_path'?")


def test_fails_when_a_deprecated_field_is_used(tmp_path):
    found = errors(tmp_path, {"jobs/train.yml": JOB + "max_retries: 3\n"})
    assert found == ["projects/demo/jobs/train.yml:6:1: max_retries: 'max_retries' is deprecated in provider 1.99\n"
                     "  (expected max_retries on each task)"]


def test_fails_when_a_library_is_an_egg(tmp_path):
    spec = JOB + "    libraries: [{egg: /Workspace/libs/x.egg}]\n"
    found = errors(tmp_path, {"jobs/train.yml": spec})
    assert found == ["projects/demo/jobs/train.yml:6:18: tasks[train].libraries[0].egg: 'egg' is deprecated in "
                     "provider 1.99\n  (expected whl or pypi (eggs are no longer supported))"]


def test_fails_when_a_read_only_field_is_set(tmp_path):
    found = errors(tmp_path, {"jobs/train.yml": JOB + "url: https://adb-1.2.azuredatabricks.net/jobs/1\n"})
    assert found == ["projects/demo/jobs/train.yml:6:1: url: 'url' is set by Databricks, not by a spec"]


def test_fails_when_a_value_has_the_wrong_type(tmp_path):
    found = errors(tmp_path, {"jobs/train.yml": JOB + "timeout_seconds: soon\nmax_concurrent_runs: [1]\n"})
    assert found == ["projects/demo/jobs/train.yml:6:18: timeout_seconds: expected a number, got 'soon'",
                     "projects/demo/jobs/train.yml:7:22: max_concurrent_runs: expected a number, got a list"]
