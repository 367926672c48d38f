"""The reference estate's churn project as synthesized in every environment: the contract reviewers rely on."""
import json

import pytest

from mlops_iac.app.cli import synthesize
from mlops_iac.app.summary import read_stacks
from tests.conftest import estate_copy, only, resources

DEPLOYERS = {"prodfix": "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a51", "qa": "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a52",
             "prod": "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a53"}
ENVS = ("prodfix", "qa", "prod")


def jobs(stack: dict) -> dict[str, dict]:
    return {job["name"]: job for job in resources(stack, "databricks_job").values()}


def acl_for(stack: dict, argument: str, fragment: str) -> dict[str, str]:
    for acl in resources(stack, "databricks_permissions").values():
        if fragment in str(acl.get(argument, "")):
            return {next(v for k, v in c.items() if k != "permission_level"): c["permission_level"]
                    for c in acl["access_control"]}
    raise AssertionError(f"no ACL with {argument} containing {fragment}")


def test_jobs_per_environment(example_stacks):
    names = {env: sorted(jobs(example_stacks[f"{env}-workspace"])) for env in ENVS}
    base = ["feature-table-creation", "model-deployment", "model-inference-batch", "model-train"]
    assert names["prodfix"] == [f"prodfix-churn-{n}" for n in base]
    assert names["qa"] == sorted([f"qa-churn-{n}" for n in base] + ["qa-churn-test-integration-test"])
    assert names["prod"] == sorted([f"prod-churn-{n}" for n in base] + ["prod-churn-retraining-trigger"])


@pytest.mark.parametrize("env, status", [("prodfix", "PAUSED"), ("qa", "PAUSED"), ("prod", "UNPAUSED")])
def test_schedules_are_paused_outside_prod(example_stacks, env, status):
    for job in jobs(example_stacks[f"{env}-workspace"]).values():
        for block in ("schedule", "trigger", "continuous"):
            if block in job:
                assert job[block]["pause_status"] == status, job["name"]


@pytest.mark.parametrize("env", ENVS)
def test_owner_and_identity(example_stacks, env):
    stack = example_stacks[f"{env}-workspace"]
    for job in jobs(stack).values():
        assert ("run_as" in job) == (env == "prod")
        if env == "prod":
            assert job["run_as"] == {"service_principal_name": DEPLOYERS["prod"]}
        acl = acl_for(stack, "job_id", job["name"].split(f"{env}-churn-")[1])
        assert [p for p, level in acl.items() if level == "IS_OWNER"] == [DEPLOYERS[env]]
    expected_human = {"prodfix": "CAN_MANAGE_RUN", "qa": "CAN_MANAGE_RUN", "prod": "CAN_VIEW"}[env]
    assert acl_for(stack, "job_id", "model-train")["data-scientists"] == expected_human


@pytest.mark.parametrize("env", ENVS)
def test_every_job_cluster_runs_under_the_job_compute_policy(example_stacks, env):
    stack = example_stacks[f"{env}-workspace"]
    policy = next(k for k, p in resources(stack, "databricks_cluster_policy").items() if p["name"] == f"{env}-job-compute")
    clusters = [c["new_cluster"] for job in jobs(stack).values() for c in job.get("job_cluster", [])]
    clusters += [t["new_cluster"] for job in jobs(stack).values() for t in job["task"] if "new_cluster" in t]
    assert clusters
    for cluster in clusters:
        assert cluster["policy_id"] == f"${{databricks_cluster_policy.{policy}.id}}"
        assert cluster["apply_policy_default_values"] is True
        assert cluster["custom_tags"]["cost_center"] == "ml-platform"  # fixed by the policy
    pipeline = only(resources(stack, "databricks_pipeline"))
    dlt = next(k for k, p in resources(stack, "databricks_cluster_policy").items() if p["name"] == f"{env}-pipeline-compute")
    assert pipeline["cluster"][0]["policy_id"] == f"${{databricks_cluster_policy.{dlt}.id}}"  # cluster_type dlt


def test_prod_override_resizes_training_only_in_prod(example_stacks):
    def main_cluster(env):
        job = jobs(example_stacks[f"{env}-workspace"])[f"{env}-churn-model-train"]
        return job["job_cluster"][0]["new_cluster"]
    assert main_cluster("prod")["num_workers"] == 8 and main_cluster("prod")["node_type_id"] == "Standard_E8ds_v5"
    assert main_cluster("qa")["num_workers"] == 2 and main_cluster("qa")["node_type_id"] == "Standard_DS4_v2"


def test_placeholders_are_substituted(example_stacks):
    job = jobs(example_stacks["prod-workspace"])["prod-churn-model-train"]
    train = next(t for t in job["task"] if t["task_key"] == "train")
    assert train["notebook_task"]["notebook_path"] == "/Repos/mlops-prod/churn/src/notebooks/Train"
    assert {p["name"]: p["default"] for p in job["parameter"]}["feature_table"] == "ml_prod.churn.customer_features"
    text = json.dumps(example_stacks)
    assert "{REPO_PATH}" not in text and "{CATALOG}" not in text and "{alert_email}" not in text
    assert "{{tasks.compare.values.challenger_wins}}" in text  # Databricks' own references are kept


def test_tasks_are_sorted_by_key(example_stacks):
    job = jobs(example_stacks["qa-workspace"])["qa-churn-model-train"]
    assert [t["task_key"] for t in job["task"]] == ["train", "validate"]  # written validate-first in YAML


def test_retraining_trigger_runs_the_training_job(example_stacks):
    stack = example_stacks["prod-workspace"]
    trigger = jobs(stack)["prod-churn-retraining-trigger"]
    train_id = next(k for k, j in resources(stack, "databricks_job").items() if j["name"] == "prod-churn-model-train")
    retrain = next(t for t in trigger["task"] if t["task_key"] == "retrain")
    assert retrain["run_job_task"]["job_id"] == f"${{databricks_job.{train_id}.id}}"


def test_registry_per_environment(example_stacks):
    prodfix, prod = example_stacks["prodfix-workspace"], example_stacks["prod-workspace"]
    model = only(resources(prodfix, "databricks_mlflow_model"))
    assert model["name"] == "prodfix-churn-churn_classifier"
    assert acl_for(prodfix, "registered_model_id", "model-churn_classifier")["data-scientists"] == "CAN_EDIT"
    uc = only(resources(prod, "databricks_registered_model"))
    assert (uc["catalog_name"], uc["schema_name"], uc["name"]) == ("ml_prod", "churn", "churn_classifier")
    grants = {g["principal"]: g["privileges"] for g in only(resources(prod, "databricks_grants"))["grant"]}
    assert grants == {"data-scientists": ["EXECUTE"], "ml-engineers": ["EXECUTE"], "readers": ["EXECUTE"],
                      DEPLOYERS["prod"]: ["ALL_PRIVILEGES"]}


def test_git_folder_follows_branch_or_tag(example_stacks):
    repos = {env: only(resources(example_stacks[f"{env}-workspace"], "databricks_repo")) for env in ENVS}
    assert repos["prodfix"]["branch"] == "develop" and repos["qa"]["branch"] == "main"
    assert repos["prod"]["tag"] == "v1.4.0" and "branch" not in repos["prod"]
    assert repos["prod"]["path"] == "/Repos/mlops-prod/churn"


def test_experiments_with_permissions(example_stacks):
    stack = example_stacks["qa-workspace"]
    names = sorted(e["name"] for e in resources(stack, "databricks_mlflow_experiment").values())
    assert [n.rsplit("/", 1)[1] for n in names] == ["training", "tuning"]
    assert acl_for(stack, "experiment_id", "experiment-training")["data-scientists"] == "CAN_READ"


def test_pipeline_semantics(example_stacks):
    prodfix = only(resources(example_stacks["prodfix-workspace"], "databricks_pipeline"))
    prod = only(resources(example_stacks["prod-workspace"], "databricks_pipeline"))
    assert prodfix["development"] is True and prod["development"] is False
    assert prod["run_as"] == {"service_principal_name": DEPLOYERS["prod"]}
    assert (prod["catalog"], prod["schema"]) == ("ml_prod", "churn")
    assert prod["library"] == [{"notebook": {"path": "/Repos/mlops-prod/churn/src/dlt/monitoring"}}]


def test_removing_a_spec_removes_exactly_one_job_and_renames_nothing(tmp_path, example_stacks):
    estate_copy(tmp_path)
    (tmp_path / "projects/churn/jobs/model-deployment.yml").unlink()
    synthesize(tmp_path / "envs", tmp_path / "out")
    after = read_stacks(tmp_path / "out")
    for env in ENVS:
        before_ids = {(t, k) for t, items in example_stacks[f"{env}-workspace"]["resource"].items() for k in items}
        after_ids = {(t, k) for t, items in after[f"{env}-workspace"]["resource"].items() for k in items}
        removed = before_ids - after_ids
        assert after_ids < before_ids
        assert sorted(t for t, _ in removed) == ["databricks_job", "databricks_permissions"], env
        assert all("model-deployment" in k for _, k in removed)
