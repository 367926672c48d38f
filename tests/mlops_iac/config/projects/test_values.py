"""Enum values (from the SDK), numbers, keys and text conversions in specs: one failing case per rule
with its message and line, and the warnings for what Terraform would convert."""
import pytest

from mlops_iac.config import load_environments
from mlops_iac.config.located import LMap, LScalar, LSeq, Location
from mlops_iac.config.projects.deployment import spec_warnings
from mlops_iac.config.projects.spec_schema import SpecChecker, terraform_text
from mlops_iac.provider_facts.enums import enum_fields
from mlops_iac.provider_facts.specs import KEYED_LISTS, resource_schema
from tests.mlops_iac.config.projects.helpers import errors, write_project

JOB = """\
name: train
parameters:
  - {name: flag, default: 'yes'}
schedule: {quartz_cron_expression: 0 0 2 * * ?, timezone_id: UTC}
job_clusters:
  - job_cluster_key: main
    new_cluster: {spark_version: 15.4.x-cpu-ml-scala2.12, node_type_id: Standard_DS3_v2, num_workers: 1}
tasks:
  - task_key: train
    job_cluster_key: main
    notebook_task: {notebook_path: /Workspace/train}
"""


def job_errors(tmp_path, text: str) -> list[str]:
    return errors(tmp_path, {"jobs/train.yml": text})


def test_fails_on_a_pause_status_that_is_not_an_enum_value_in_every_environment(tmp_path):
    found = job_errors(tmp_path, JOB.replace("timezone_id: UTC}", "timezone_id: UTC, pause_status: x}"))
    assert found == ["projects/demo/jobs/train.yml:4:81: schedule.pause_status: 'x' is not a valid pause_status\n"
                     "  (expected one of PAUSED, UNPAUSED)"]


def test_fails_on_a_condition_op_with_a_suggestion(tmp_path):
    job = JOB + "  - task_key: check\n    condition_task: {op: EQUALS_TO, left: a, right: b}\n"
    found = job_errors(tmp_path, job)
    assert found == ["projects/demo/jobs/train.yml:13:26: tasks[check].condition_task.op: 'EQUALS_TO' is not a valid op\n"
                     "  (expected one of EQUAL_TO, GREATER_THAN, GREATER_THAN_OR_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL, "
                     "NOT_EQUAL)\n  did you mean 'EQUAL_TO'?"]


def test_fails_on_a_trigger_condition(tmp_path):
    job = JOB.replace("schedule: {quartz_cron_expression: 0 0 2 * * ?, timezone_id: UTC}\n",
                      "trigger: {table_update: {table_names: [a.b.c], condition: ANY}}\n")
    found = job_errors(tmp_path, job)
    assert found == ["projects/demo/jobs/train.yml:4:59: trigger.table_update.condition: 'ANY' is not a valid condition\n"
                     "  (expected one of ALL_UPDATED, ANY_UPDATED)\n  did you mean 'ANY_UPDATED'?"]


def test_fails_on_an_enum_value_in_the_wrong_case_with_the_right_one(tmp_path):
    found = job_errors(tmp_path, JOB.replace("num_workers: 1}", "num_workers: 1, runtime_engine: photon}"))
    assert found == ["projects/demo/jobs/train.yml:7:122: job_clusters[main].new_cluster.runtime_engine: 'photon' is "
                     "not a valid runtime_engine\n  (expected one of NULL, PHOTON, STANDARD)\n  did you mean 'PHOTON'?"]


def test_fails_on_a_pipeline_channel_in_lower_case(tmp_path):
    pipeline = "name: p\ncatalog: c\nschema: s\nchannel: current\nlibraries: [{notebook: {path: /Workspace/p}}]\n"
    found = errors(tmp_path, {"delta_live_tables/p.yml": pipeline})
    assert found == ["projects/demo/delta_live_tables/p.yml:4:10: channel: 'current' is not a pipeline channel\n"
                     "  (expected one of CURRENT, PREVIEW)\n  did you mean 'CURRENT'?"]


@pytest.mark.parametrize("value, message, expected", [
    ("-1", "num_workers -1 is outside what Databricks accepts", "at least 0"),
    ("2.5", "float 2.5 is not a whole number", "an integer num_workers"),
    ("9223372036854775808", "int 9223372036854775808 is outside the 64-bit integer range", "a smaller number"),
    ("9007199254740993", "int 9007199254740993 would lose precision on its way through cdktf (JavaScript numbers "
                         "are exact only up to 2^53)", "at most 9007199254740992"),
])
def test_fails_on_numbers_databricks_or_cdktf_would_not_keep(tmp_path, value, message, expected):
    found = job_errors(tmp_path, JOB.replace("num_workers: 1}", f"num_workers: {value}}}"))
    assert found == [f"projects/demo/jobs/train.yml:7:103: job_clusters[main].new_cluster.num_workers: {message}\n"
                     f"  (expected {expected})"]


def test_fails_on_limits_of_timeout_and_concurrent_runs(tmp_path):
    found = job_errors(tmp_path, JOB + "timeout_seconds: -5\nmax_concurrent_runs: 5000\n")
    assert found == ["projects/demo/jobs/train.yml:12:18: timeout_seconds: timeout_seconds -5 is outside what "
                     "Databricks accepts\n  (expected at least 0)",
                     "projects/demo/jobs/train.yml:13:22: max_concurrent_runs: max_concurrent_runs 5000 is outside what "
                     "Databricks accepts\n  (expected 0 to 1000)"]


def test_fails_when_a_key_is_a_number_and_still_checks_depends_on(tmp_path):
    job = JOB.replace("  - task_key: train\n", "  - task_key: 1\n") + \
        "  - task_key: two\n    depends_on: [{task_key: 3}]\n    notebook_task: {notebook_path: /Workspace/x}\n"
    found = job_errors(tmp_path, job)
    assert found == [
        "projects/demo/jobs/train.yml:9:15: tasks[0].task_key: expected text, got int 1\n"
        "  (expected a task_key in quotes, e.g. '1' (keys are compared as text))",
        "projects/demo/jobs/train.yml:13:18: tasks[two].depends_on[0]: no task '3' in this job\n"
        "  (expected one of 1, two)",
        "projects/demo/jobs/train.yml:13:29: tasks[two].depends_on[0].task_key: expected text, got int 3\n"
        "  (expected a task_key in quotes, e.g. '3' (keys are compared as text))"]


@pytest.mark.parametrize("extra, path, key", [
    ("  - job_cluster_key: main\n    new_cluster: {num_workers: 2}\n", "job_clusters[main].job_cluster_key", "job_cluster_key"),
])
def test_fails_on_a_duplicate_job_cluster_key(tmp_path, extra, path, key):
    job = JOB.replace("tasks:\n", extra + "tasks:\n")
    found = job_errors(tmp_path, job)
    assert found == [f"projects/demo/jobs/train.yml:8:22: {path}: {key} 'main' is used twice\n"
                     f"  (expected unique {key} values in job_clusters)"]


def test_fails_on_a_duplicate_parameter_name(tmp_path):
    found = job_errors(tmp_path, JOB.replace("  - {name: flag, default: 'yes'}\n",
                                             "  - {name: flag, default: 'yes'}\n  - {name: flag, default: 'no'}\n"))
    assert found == ["projects/demo/jobs/train.yml:4:12: parameters[flag].name: name 'flag' is used twice\n"
                     "  (expected unique name values in parameters)"]


def test_fails_on_a_duplicate_environment_key(tmp_path):
    job = JOB + "environments:\n  - {environment_key: e, spec: {client: '2'}}\n  - {environment_key: e, spec: {client: '2'}}\n"
    found = job_errors(tmp_path, job)
    assert found == ["projects/demo/jobs/train.yml:14:23: environments[e].environment_key: environment_key 'e' is used "
                     "twice\n  (expected unique environment_key values in environments)"]


def test_fails_on_a_duplicate_pipeline_cluster_label(tmp_path):
    pipeline = ("name: p\ncatalog: c\nschema: s\nlibraries: [{notebook: {path: /Workspace/p}}]\n"
                "clusters:\n  - {label: default, num_workers: 1}\n  - {label: default, num_workers: 2}\n")
    found = errors(tmp_path, {"delta_live_tables/p.yml": pipeline})
    assert found == ["projects/demo/delta_live_tables/p.yml:7:13: clusters[default].label: label 'default' is used "
                     "twice\n  (expected unique label values in clusters)"]


def test_booleans_and_numbers_where_text_is_expected_are_converted_with_a_warning(tmp_path):
    job = JOB.replace("{name: flag, default: 'yes'}", "{name: flag, default: true}").replace(
        "num_workers: 1}", "num_workers: 1, spark_conf: {spark.speculation: false, spark.x: 2.50}}")
    envs = load_environments(write_project(tmp_path, {"jobs/train.yml": job}))
    body = envs[0].config.deployments[0].jobs[0].body
    assert body["parameter"][0]["default"] == "true"
    assert body["job_cluster"][0]["new_cluster"]["spark_conf"] == {"spark.speculation": "false", "spark.x": "2.5"}
    warnings = [w.render() for w in spec_warnings(d for e in envs for d in e.config.deployments)]
    assert warnings[0] == ("projects/demo/jobs/train.yml:3:27: parameters[flag].default: boolean true where text is "
                           "expected: sent as 'true', as Terraform would convert it\n"
                           "  (expected text: write it in quotes, 'true')")
    assert len(warnings) == 3  # one per line, not one per environment


@pytest.mark.parametrize("value, text", [(True, "true"), (False, "false"), (3, "3"), (2.0, "2"), (2.5, "2.5"),
                                         (1e-07, "0.0000001"), (1e20, "100000000000000000000")])
def test_terraform_text_matches_terraforms_number_to_string(value, text):
    assert terraform_text(value) == text


def test_ingestion_pipelines_need_no_library(tmp_path):
    pipeline = ("name: ingest\ncatalog: c\nschema: s\n"
                "ingestion_definition: {connection_name: sql, objects: [{table: {source_schema: dbo, "
                "source_table: t, destination_catalog: c, destination_schema: s}}]}\n")
    envs = load_environments(write_project(tmp_path, {"delta_live_tables/ingest.yml": pipeline}))
    assert "library" not in envs[0].config.deployments[0].pipelines[0].body


def _located(api_path: tuple, leaf) -> LMap:
    """A minimal located spec holding one value at an API path ('*' = one list item)."""
    loc = Location("spec.yml", 1, 1)
    node = LScalar(leaf, loc)
    for part in reversed(api_path):
        node = LSeq(loc, [node]) if part == "*" else LMap(loc, {part: _entry(node, loc)})
    return node


def _entry(node, loc):
    from mlops_iac.config.located import LEntry
    return LEntry(loc, node)


def _provider_has(resource: str, api_path: tuple) -> bool:
    """Whether the provider schema has the field (API names, renames and plurals as the checker maps them)."""
    checker = SpecChecker(KEYED_LISTS)
    checker.block(_located(api_path, "x"), resource_schema(resource), ())
    return not any("unknown field" in d.message or "deprecated" in d.message or "set by Databricks" in d.message
                   for d in checker.errors)


@pytest.mark.parametrize("resource", ["databricks_job", "databricks_pipeline"])
def test_every_sdk_enum_field_the_provider_has_is_checked(resource):
    """Coverage: for each enum-typed field of the SDK dataclasses that exists in the provider schema,
    a value outside the enum is an error at that field."""
    covered = 0
    for api_path, values in enum_fields(resource).items():
        if not _provider_has(resource, api_path):
            continue
        checker = SpecChecker(KEYED_LISTS, resource)
        checker.block(_located(api_path, "NOT_A_VALUE_" + values[0]), resource_schema(resource), ())
        assert any("is not a valid" in d.message for d in checker.errors), api_path
        covered += 1
    assert covered >= (30 if resource == "databricks_job" else 10)


def test_the_committed_enum_table_is_what_the_pinned_sdk_gives():
    from mlops_iac.provider_facts.extract_enums import OUTPUT, render
    assert OUTPUT.read_text() == render(), "run: python -m mlops_iac.provider_facts.extract_enums"


def test_git_provider_is_case_insensitive_as_the_provider_documents_but_still_an_enum(tmp_path):
    ok = JOB + "git_source: {git_url: 'https://github.com/contoso/demo', git_provider: github, git_branch: main}\n"
    assert load_environments(write_project(tmp_path / "ok", {"jobs/train.yml": ok}))
    bad = ok.replace("git_provider: github", "git_provider: gitHubb")
    found = job_errors(tmp_path / "bad", bad)
    assert found[0].startswith("projects/demo/jobs/train.yml:12:72: git_source.git_provider: 'gitHubb' is not a valid "
                               "git_provider\n  (expected one of awsCodeCommit, azureDevOpsServices, ")
    assert found[0].endswith("did you mean 'gitHub'?")


def test_fails_on_a_quoted_number_where_a_number_is_expected(tmp_path):
    found = job_errors(tmp_path, JOB + "timeout_seconds: '3600'\n")
    assert found == ["projects/demo/jobs/train.yml:12:18: timeout_seconds: expected a number, got '3600'\n"
                     "  (expected 3600 without quotes (numbers are not converted))"]
