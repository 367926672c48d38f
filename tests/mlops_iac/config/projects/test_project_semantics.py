"""Environment semantics of a project: names, pausing, identities, policies, placeholders,
overrides, registries and where tests go. One failing case per project-level rule."""
import pytest

from mlops_iac.config.projects.refs import Ref
from tests.conftest import config_errors
from tests.mlops_iac.config.projects.helpers import JOB, PROJECT, deployments, errors, job, write_project

SCHEDULED = JOB + "schedule: {quartz_cron_expression: 0 0 0 * * ?, timezone_id: UTC, pause_status: UNPAUSED}\n"
APP_IDS = {"dev": "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a51", "prod": "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a53"}


def test_schedules_are_paused_outside_production(tmp_path):
    deployed = deployments(tmp_path, {"jobs/train.yml": SCHEDULED})
    assert {env: job(d, "train")["schedule"]["pause_status"] for env, d in deployed.items()} == {
        "dev": "PAUSED", "qa": "PAUSED", "prod": "UNPAUSED"}


def test_a_spec_can_opt_in_to_run_outside_production(tmp_path):
    spec = SCHEDULED + "deploy: {unpaused_outside_production: true}\n"
    deployed = deployments(tmp_path, {"jobs/train.yml": spec})
    assert job(deployed["qa"], "train")["schedule"]["pause_status"] == "UNPAUSED"
    assert "deploy" not in job(deployed["qa"], "train")


def test_production_runs_as_the_deployer_and_names_carry_environment_and_project(tmp_path):
    deployed = deployments(tmp_path, {"jobs/train.yml": JOB})
    assert job(deployed["prod"], "train")["run_as"] == {"service_principal_name": APP_IDS["prod"]}
    assert "run_as" not in job(deployed["dev"], "train")
    assert [j.name for j in deployed["dev"].jobs] == ["dev-demo-train"]
    assert job(deployed["dev"], "train")["tags"] == {"environment": "dev", "managed_by": "mlops-iac", "project": "demo"}


def test_fails_when_a_production_job_runs_as_someone_else(tmp_path):
    found = errors(tmp_path, {"jobs/train.yml": JOB + "run_as: {user_name: alice@contoso.com}\n"})
    assert found == ["projects/demo/jobs/train.yml:6:9: run_as: production jobs and pipelines run as the deployer "
                     "(in environment prod)\n"
                     f"  (expected no run_as (it is set to the deployer {APP_IDS['prod']}) or that service principal)"]


def test_every_cluster_gets_the_job_policy_and_its_fixed_tags(tmp_path):
    cluster = job(deployments(tmp_path, {"jobs/train.yml": JOB})["qa"], "train")["task"][0]["new_cluster"]
    assert cluster["policy_id"] == Ref("policy", "jobs") and cluster["apply_policy_default_values"] is True
    assert cluster["custom_tags"] == {"environment": "qa", "project": "demo", "team": "ml"}


def test_a_spec_may_name_another_existing_policy(tmp_path):
    spec = JOB.replace("num_workers: 1}", "num_workers: 1, policy_id: big}")
    cluster = job(deployments(tmp_path, {"jobs/train.yml": spec})["qa"], "train")["task"][0]["new_cluster"]
    assert cluster["policy_id"] == Ref("policy", "big")


def test_fails_when_a_spec_names_an_unknown_policy(tmp_path):
    found = errors(tmp_path, {"jobs/train.yml": JOB.replace("num_workers: 1}", "num_workers: 1, policy_id: bgi}")})
    assert found[0] == ("projects/demo/jobs/train.yml:5:117: tasks[train].new_cluster.policy_id: no cluster policy 'bgi' "
                        "in environment 'dev'\n  (expected a key of cluster_policies (big, jobs))\n  did you mean 'big'?")


def test_fails_when_an_environment_has_no_job_policy(tmp_path):
    envs = write_project(tmp_path, {"jobs/train.yml": JOB})
    (envs / "dev.yaml").write_text((envs / "dev.yaml").read_text() + "cluster_policies: {jobs: null}\n")
    found = config_errors(envs)
    assert found == ["projects/demo/jobs/train.yml:5:18: tasks[train].new_cluster: environment 'dev' has no "
                     "job-compute policy for this cluster\n  (expected a cluster policy with purpose: job in the environment)"]


def test_tasks_and_dependencies_are_sorted_so_reordering_yaml_changes_nothing(tmp_path):
    spec = ("name: dag\ntasks:\n"
            "  - {task_key: c, depends_on: [{task_key: b}, {task_key: a}], notebook_task: {notebook_path: /c}}\n"
            "  - {task_key: a, notebook_task: {notebook_path: /a}}\n"
            "  - {task_key: b, notebook_task: {notebook_path: /b}}\n")
    body = job(deployments(tmp_path, {"jobs/dag.yml": spec})["dev"], "dag")
    assert [t["task_key"] for t in body["task"]] == ["a", "b", "c"]
    assert body["task"][2]["depends_on"] == [{"task_key": "a"}, {"task_key": "b"}]


def test_placeholders_and_variables_resolve_per_environment(tmp_path):
    project = PROJECT + "variables:\n  table: {production: prod.t, default: '{ENV}.t'}\n"
    spec = ("name: train\ntasks:\n  - task_key: train\n    notebook_task:\n      notebook_path: '{REPO_PATH}/Train'\n"
            "      base_parameters: {table: '{table}', run: '{{job.run_id}}', project: '{PROJECT}'}\n")
    deployed = deployments(tmp_path, {"jobs/train.yml": spec}, project=project)
    params = {env: job(d, "train")["task"][0]["notebook_task"]["base_parameters"] for env, d in deployed.items()}
    assert params["qa"] == {"table": "qa.t", "run": "{{job.run_id}}", "project": "demo"}
    assert params["prod"]["table"] == "prod.t"


def test_fails_when_a_placeholder_is_unknown(tmp_path):
    found = errors(tmp_path, {"jobs/train.yml": JOB.replace("{REPO_PATH}", "{REPO_PAHT}")})
    assert found[0] == ("projects/demo/jobs/train.yml:4:36: tasks[train].notebook_task.notebook_path: unknown placeholder "
                        "'{REPO_PAHT}'\n  (expected one of {ENV}, {PROJECT}, {REPO_PATH}, {SCHEMA})\n"
                        "  did you mean '{REPO_PATH}'?")


def test_fails_when_a_reference_names_no_job_of_the_project(tmp_path):
    spec = "name: chain\ntasks:\n  - {task_key: run, run_job_task: {job_id: '{job:trian}'}}\n"
    found = errors(tmp_path, {"jobs/train.yml": JOB, "jobs/chain.yml": spec})
    assert found[0] == ("projects/demo/jobs/chain.yml:3:44: tasks[run].run_job_task.job_id: no job 'trian' in this "
                        "project\n  (expected one of chain, train)\n  did you mean 'train'?")


def test_references_to_project_jobs_become_refs(tmp_path):
    spec = "name: chain\ntasks:\n  - {task_key: run, run_job_task: {job_id: '{job:train}'}}\n"
    body = job(deployments(tmp_path, {"jobs/train.yml": JOB, "jobs/chain.yml": spec})["dev"], "chain")
    assert body["task"][0]["run_job_task"]["job_id"] == Ref("job", "train")


def test_overrides_merge_keyed_lists_by_key(tmp_path):
    spec = JOB.replace("    new_cluster: {spark_version: 15.4.x-cpu-ml-scala2.12, node_type_id: Standard_DS3_v2, num_workers: 1}\n",
                       "    job_cluster_key: main\n") + \
        "job_clusters:\n  - job_cluster_key: main\n    new_cluster: {spark_version: 15.4.x-cpu-ml-scala2.12, num_workers: 1}\n"
    project = PROJECT + ("overrides:\n  prod:\n    jobs/train.yml:\n      job_clusters: [{job_cluster_key: main, "
                         "new_cluster: {num_workers: 8}}]\n  staging:\n    jobs/train.yml: {timeout_seconds: 60}\n")
    deployed = deployments(tmp_path, {"jobs/train.yml": spec}, project=project)
    prod_cluster = job(deployed["prod"], "train")["job_cluster"][0]["new_cluster"]
    assert prod_cluster["num_workers"] == 8 and prod_cluster["spark_version"] == "15.4.x-cpu-ml-scala2.12"
    assert job(deployed["dev"], "train")["job_cluster"][0]["new_cluster"]["num_workers"] == 1
    assert job(deployed["qa"], "train")["timeout_seconds"] == 60 and "timeout_seconds" not in job(deployed["prod"], "train")


def test_fails_when_an_override_names_no_spec_or_environment(tmp_path):
    project = PROJECT + "overrides:\n  prd:\n    jobs/trian.yml: {timeout_seconds: 60}\n"
    found = errors(tmp_path, {"jobs/train.yml": JOB}, project=project)
    assert found == [
        "projects/demo/project.yaml:7:3: overrides.prd: 'prd' is neither an environment nor a stage\n"
        "  (expected an environment (dev, qa, prod), a stage or default)\n  did you mean 'prod'?",
        "projects/demo/project.yaml:8:5: overrides.prd.jobs/trian.yml: no spec 'jobs/trian.yml' in project 'demo'\n"
        "  (expected one of jobs/train.yml)\n  did you mean 'jobs/train.yml'?",
    ]


def test_tests_deploy_to_staging_only_by_default(tmp_path):
    deployed = deployments(tmp_path, {"jobs/train.yml": JOB, "tests/smoke.yml": JOB.replace("name: train", "name: smoke")})
    assert {env: [j.name for j in d.jobs] for env, d in deployed.items()} == {
        "dev": ["dev-demo-train"], "qa": ["qa-demo-test-smoke", "qa-demo-train"], "prod": ["prod-demo-train"]}


def test_registry_and_model_names_per_environment(tmp_path):
    project = PROJECT + "registry: {production: unity_catalog, default: workspace}\ncatalog: {production: ml_prod}\n" \
                        "models: {churn_model: {}}\n"
    deployed = deployments(tmp_path, {}, project=project)
    assert [m.full_name for m in deployed["qa"].models] == ["qa-demo-churn_model"]
    assert [m.full_name for m in deployed["prod"].models] == ["ml_prod.demo.churn_model"]
    assert deployed["prod"].tag == "v1.0.0" and deployed["dev"].branch == "develop" and deployed["qa"].branch == "main"
    assert deployed["dev"].repo_path == "/Repos/mlops-dev/demo"


def test_fails_when_unity_catalog_has_no_catalog(tmp_path):
    found = errors(tmp_path, {}, project=PROJECT + "registry: unity_catalog\ncatalog: {prod: ml_prod}\n")
    assert found[0] == ("projects/demo/project.yaml:6:11: registry: unity_catalog in 'dev' needs a catalog\n"
                        "  (expected catalog: {dev: <catalog>})")


def test_fails_when_two_environments_would_write_the_same_catalog_model(tmp_path):
    found = errors(tmp_path, {}, project=PROJECT + "registry: unity_catalog\ncatalog: ml\n")
    assert found[0].startswith("projects/demo/project.yaml:1:1: catalog: model 'ml.demo.demo' would be written by "
                               "environments 'dev' and 'qa'")


@pytest.mark.parametrize("follow, message", [
    ("follow: {default: {branch: main, tag: v1}}\n", "follow.default: set exactly one of branch or tag"),
    ("follow: {production: {tag: v1}}\n", "follow: no branch or tag for environment 'dev'"),
])
def test_fails_when_a_git_ref_is_ambiguous_or_missing(tmp_path, follow, message):
    project = "repo: {url: https://github.com/contoso/demo, provider: gitHub}\n" + follow
    assert message in errors(tmp_path, {}, project=project)[0]
