"""One failing job spec per rule: the message and the line."""
from mlops_iac.config.projects.job_rules import quartz_problem
from tests.mlops_iac.config.projects.helpers import JOB, errors

TWO = """\
name: two
tasks:
  - task_key: a
    notebook_task: {notebook_path: /x}
    job_cluster_key: main
  - task_key: b
    depends_on: [{task_key: a}]
    notebook_task: {notebook_path: /y}
    job_cluster_key: main
job_clusters:
  - job_cluster_key: main
    new_cluster: {num_workers: 1}
"""


def spec_errors(tmp_path, text: str) -> list[str]:
    return errors(tmp_path, {"jobs/two.yml": text})


def test_fails_when_a_task_key_is_used_twice(tmp_path):
    found = spec_errors(tmp_path, TWO.replace("task_key: b\n", "task_key: a\n").replace("[{task_key: a}]", "[]"))
    assert found == ["projects/demo/jobs/two.yml:6:5: tasks[a].task_key: task_key 'a' is used twice\n"
                     "  (expected unique task keys)"]


def test_fails_when_depends_on_names_no_task(tmp_path):
    found = spec_errors(tmp_path, TWO.replace("[{task_key: a}]", "[{task_key: aa}]"))
    assert found == ["projects/demo/jobs/two.yml:7:18: tasks[b].depends_on[0]: no task 'aa' in this job\n"
                     "  (expected one of a, b)\n  did you mean 'a'?"]


def test_fails_when_tasks_depend_on_each_other_in_a_cycle(tmp_path):
    found = spec_errors(tmp_path, TWO.replace("    notebook_task: {notebook_path: /x}\n",
                                              "    notebook_task: {notebook_path: /x}\n    depends_on: [{task_key: b}]\n"))
    assert found == ["projects/demo/jobs/two.yml:3:5: tasks[a].depends_on: tasks depend on each other in a cycle: "
                     "a -> b -> a\n  (expected a dependency graph without cycles)"]


def test_fails_when_a_task_has_two_task_types(tmp_path):
    found = spec_errors(tmp_path, TWO.replace("    notebook_task: {notebook_path: /y}\n",
                                              "    notebook_task: {notebook_path: /y}\n    sql_task: {warehouse_id: w}\n"))
    assert found[0] == ("projects/demo/jobs/two.yml:6:5: tasks[b]: task sets notebook_task, sql_task\n"
                        "  (expected exactly one of " + found[0].split("exactly one of ")[1])


def test_fails_when_a_job_cluster_key_or_environment_key_is_unknown(tmp_path):
    found = spec_errors(tmp_path, TWO.replace("    job_cluster_key: main\n  - task_key: b",
                                              "    job_cluster_key: mian\n  - task_key: b"))
    assert found == ["projects/demo/jobs/two.yml:5:22: tasks[a].job_cluster_key: no job_cluster 'mian' in this job\n"
                     "  (expected one of main)\n  did you mean 'main'?"]
    found = spec_errors(tmp_path, JOB + "    environment_key: default\n")
    assert found[0].startswith("projects/demo/jobs/two.yml:6:22: tasks[train].environment_key: no environment "
                               "'default' in this job\n  (expected a environments entry defining it)")


def test_fails_when_a_serverless_python_task_has_no_environment(tmp_path):
    found = spec_errors(tmp_path, "name: s\ntasks:\n  - task_key: score\n    spark_python_task: {python_file: /a.py}\n")
    assert found == ["projects/demo/jobs/two.yml:3:5: tasks[score]: a serverless spark_python_task needs an environment\n"
                     "  (expected environment_key naming an environments entry (or a cluster))"]


def test_fails_when_a_job_cluster_has_libraries(tmp_path):
    found = spec_errors(tmp_path, TWO.replace("new_cluster: {num_workers: 1}", "new_cluster: {num_workers: 1, libraries: [{whl: /Workspace/a.whl}]}"))
    assert found[0].startswith("projects/demo/jobs/two.yml:12:46: job_clusters[main].new_cluster.libraries: "
                               "libraries are not allowed on a job cluster")


def test_fails_when_schedule_and_trigger_are_set_together(tmp_path):
    found = spec_errors(tmp_path, JOB + "schedule: {quartz_cron_expression: 0 0 0 * * ?, timezone_id: UTC}\n"
                                        "trigger: {periodic: {interval: 1, unit: DAYS}}\n")
    assert found == ["projects/demo/jobs/two.yml:7:1: trigger: schedule and trigger are set together\n"
                     "  (expected at most one of schedule, continuous or trigger)"]


def test_fails_when_the_cron_expression_or_time_zone_is_invalid(tmp_path):
    found = spec_errors(tmp_path, JOB + "schedule: {quartz_cron_expression: '0 0 25 * * ?', timezone_id: US/Centrl}\n")
    assert found == [
        "projects/demo/jobs/two.yml:6:36: schedule.quartz_cron_expression: '0 0 25 * * ?' is not a Quartz cron "
        "expression: field 3 value 25 outside 0-23\n  (expected seconds minutes hours day-of-month month "
        "day-of-week [year], e.g. 0 0 0 * * ?)",
        "projects/demo/jobs/two.yml:6:65: schedule.timezone_id: 'US/Centrl' is not an IANA time zone\n"
        "  (expected a zone such as UTC, Europe/Berlin or US/Central)\n  did you mean 'US/Central'?",
    ]


def test_quartz_expressions():
    assert quartz_problem("0 15 10 ? * MON-FRI") is None
    assert quartz_problem("0 0 12 ? * 6#3 2030") is None
    assert quartz_problem("0 0 0 * * *") == "exactly one of day-of-month (field 4) and day-of-week (field 6) must be '?'"
    assert quartz_problem("* * *") == "3 fields (expected 6 or 7)"
    assert quartz_problem("0 0 0 ? * FUN") == "field 6 has unknown name FUN"


def test_fails_when_run_as_or_git_source_name_two_identities(tmp_path):
    found = spec_errors(tmp_path, JOB + "run_as: {user_name: a@contoso.com, service_principal_name: x}\n"
                                        "git_source: {git_url: 'https://x', git_provider: gitHub, git_branch: a, git_tag: b}\n")
    assert found == [
        "projects/demo/jobs/two.yml:6:9: run_as: production jobs and pipelines run as the deployer "
        "(in environment prod)\n"
        "  (expected no run_as (it is set to the deployer 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a53) or that "
        "service principal)",  # prod deploys too: each environment valid so far gets the project
        "projects/demo/jobs/two.yml:6:9: run_as: run_as sets user_name, service_principal_name\n"
        "  (expected exactly one of user_name, service_principal_name)",
        "projects/demo/jobs/two.yml:7:13: git_source: git_source sets git_branch, git_tag\n"
        "  (expected exactly one of git_branch, git_tag, git_commit)",
    ]


def test_fails_when_a_parameter_name_has_spaces(tmp_path):
    found = spec_errors(tmp_path, JOB + "parameters: [{name: run date, default: x}]\n")
    assert found == ["projects/demo/jobs/two.yml:6:21: parameters[0].name: parameter name 'run date' is not allowed\n"
                     "  (expected letters, digits, '_', '.' and '-' only)"]


def test_fails_when_an_event_has_more_than_three_webhooks(tmp_path):
    found = spec_errors(tmp_path, JOB + "webhook_notifications:\n  on_failure: [{id: a}, {id: b}, {id: c}, {id: d}]\n")
    assert found == ["projects/demo/jobs/two.yml:7:15: webhook_notifications.on_failure: 4 webhook destinations for "
                     "on_failure\n  (expected at most 3 per event)"]


def test_fails_when_a_health_rule_is_not_greater_than(tmp_path):
    found = spec_errors(tmp_path, JOB + "health: {rules: [{metric: RUN_DURATION_SECONDS, op: LESS_THAN, value: 10}]}\n")
    assert found == ["projects/demo/jobs/two.yml:6:53: health.rules[0].op: 'LESS_THAN' is not a valid op\n"
                     "  (expected one of GREATER_THAN)"]


def test_fails_when_run_if_is_unknown(tmp_path):
    found = spec_errors(tmp_path, TWO.replace("    depends_on: [{task_key: a}]\n", "    depends_on: [{task_key: a}]\n    run_if: ALL_DNE\n"))
    assert found == ["projects/demo/jobs/two.yml:8:13: tasks[b].run_if: 'ALL_DNE' is not a valid run_if\n"
                     "  (expected one of ALL_DONE, ALL_FAILED, ALL_SUCCESS, AT_LEAST_ONE_FAILED, AT_LEAST_ONE_SUCCESS, "
                     "NONE_FAILED)\n  did you mean 'ALL_DONE'?"]


def test_fails_on_the_deprecated_single_task_format(tmp_path):
    found = spec_errors(tmp_path, "name: old\nnotebook_task: {notebook_path: /x}\nnew_cluster: {num_workers: 1}\n")
    assert found[0] == ("projects/demo/jobs/two.yml:1:1: tasks: a job needs at least one task\n"
                        "  (expected tasks: [{task_key: ..., notebook_task: ...}])")
    assert found[1].startswith("projects/demo/jobs/two.yml:2:1: notebook_task: top-level 'notebook_task' is the "
                               "deprecated single-task format")
