import pytest

from constructs_lib.databricks import (
    AccessGrant, GitFolderProps, MlProject, MlProjectProps, ModelProps, ObjectRef,
)
from tests.conftest import only, resources

GIT = GitFolderProps(url="https://github.com/contoso/demo", git_provider="gitHub", path="/Repos/mlops-dev/demo",
                     branch="main")
OWNER = AccessGrant("service_principal", "app-id", "IS_OWNER")


def job(name: str, **extra) -> dict:
    return {"name": name, "task": [{"task_key": "t", "notebook_task": {"notebook_path": "/x"}, **extra}]}


def project(**kw) -> MlProjectProps:
    return MlProjectProps(git_folder=GIT, experiment_folder="/Shared/mlops/dev/demo/experiments",
                          experiments=["/Shared/mlops/dev/demo/experiments/training"], **kw)


def test_ml_project_with_all_defaults_has_folder_git_folder_and_experiment(synth):
    tf = synth(lambda s: MlProject(s, "demo", project()))
    assert only(resources(tf, "databricks_repo"))["branch"] == "main"
    assert only(resources(tf, "databricks_directory"))["path"] == "/Shared/mlops/dev/demo/experiments"
    assert only(resources(tf, "databricks_mlflow_experiment"))["name"].endswith("/training")
    assert "databricks_job" not in tf["resource"]


def test_jobs_resolve_references_to_jobs_pipelines_and_policies(synth):
    props = project(
        jobs={"b-runner": job("dev-demo-runner", run_job_task={"job_id": ObjectRef("job", "z-train")}),
              "z-train": job("dev-demo-train", new_cluster={"policy_id": ObjectRef("cluster_policy", "jobs")})},
        pipelines={"monitoring": {"name": "dev-demo-monitoring", "library": [{"notebook": {"path": "/m"}}]}},
        cluster_policy_ids={"jobs": "policy-123"}, job_access=[OWNER])
    tf = synth(lambda s: MlProject(s, "demo", props))
    jobs = {j["name"]: (k, j) for k, j in resources(tf, "databricks_job").items()}
    train_key = jobs["dev-demo-train"][0]
    assert jobs["dev-demo-runner"][1]["task"][0]["run_job_task"]["job_id"] == f"${{databricks_job.{train_key}.id}}"
    assert jobs["dev-demo-train"][1]["task"][0]["new_cluster"]["policy_id"] == "policy-123"
    assert len(resources(tf, "databricks_permissions")) == 2  # one ACL per job


def test_fails_when_a_reference_is_not_part_of_the_project(synth):
    props = project(jobs={"a": job("a", run_job_task={"job_id": ObjectRef("job", "elsewhere")})})
    with pytest.raises(ValueError, match="job 'elsewhere' is referenced but not part of this project"):
        synth(lambda s: MlProject(s, "demo", props))


def test_fails_when_jobs_run_each_other_in_a_cycle(synth):
    props = project(jobs={"a": job("a", run_job_task={"job_id": ObjectRef("job", "b")}),
                          "b": job("b", run_job_task={"job_id": ObjectRef("job", "a")})})
    with pytest.raises(ValueError, match="jobs run each other in a cycle"):
        synth(lambda s: MlProject(s, "demo", props))


def test_models_go_to_the_workspace_registry_or_unity_catalog(synth):
    props = project(models=[ModelProps("a", "dev-demo-a"), ModelProps("b", "b", catalog="ml", schema="demo")],
                    model_access=[AccessGrant("group", "ds", "CAN_MANAGE_STAGING_VERSIONS")],
                    catalog_model_grants=[AccessGrant("group", "ds", "EXECUTE")])
    tf = synth(lambda s: MlProject(s, "demo", props))
    assert only(resources(tf, "databricks_mlflow_model"))["name"] == "dev-demo-a"
    assert only(resources(tf, "databricks_registered_model"))["catalog_name"] == "ml"
    assert only(resources(tf, "databricks_grants"))["grant"] == [{"principal": "ds", "privileges": ["EXECUTE"]}]


def test_fails_when_a_catalog_model_gets_a_workspace_level(synth):
    props = project(models=[ModelProps("b", "b", catalog="ml", schema="demo")],
                    catalog_model_grants=[AccessGrant("group", "ds", "CAN_READ")])
    with pytest.raises(ValueError, match="not Unity Catalog model privileges: CAN_READ"):
        synth(lambda s: MlProject(s, "demo", props))
