"""Relative paths in specs resolve against the environment's git folder, as bundles resolve them."""
from pathlib import Path

from tests.mlops_iac.config.projects.helpers import PROJECT, deployments, errors, job

BUNDLE_JOB = """\
name: train
environments:
  - environment_key: default
    spec: {client: '2', dependencies: ['-r ../requirements.txt', ../dist/demo-1.0-py3-none-any.whl, lightgbm==4.5.0]}
job_clusters:
  - job_cluster_key: main
    new_cluster:
      spark_version: 15.4.x-cpu-ml-scala2.12
      node_type_id: Standard_DS3_v2
      num_workers: 1
      init_scripts: [{workspace: {destination: ../scripts/init.sh}}]
tasks:
  - task_key: notebook
    job_cluster_key: main
    notebook_task: {notebook_path: ../src/notebook.ipynb}
    libraries: [{whl: ../dist/demo-1.0-py3-none-any.whl}, {requirements: ../requirements.txt}]
  - task_key: script
    environment_key: default
    spark_python_task: {python_file: ../src/score.py}
  - task_key: query
    sql_task: {file: {path: ../src/report.sql}, warehouse_id: abc123}
  - task_key: loop
    for_each_task:
      inputs: '[1, 2]'
      task: {task_key: inner, job_cluster_key: main, notebook_task: {notebook_path: ./inner.py}}
"""

PIPELINE = """\
name: etl
catalog: main
schema: demo
root_path: ../src/pipeline
libraries:
  - notebook: {path: ../src/dlt/bronze.sql}
  - file: {path: ../src/dlt/silver.py}
  - glob: {include: ../src/transformations/**}
clusters:
  - label: default
    num_workers: 1
"""


def test_relative_job_paths_resolve_against_the_git_folder(tmp_path: Path):
    body = job(deployments(tmp_path, {"jobs/train.yml": BUNDLE_JOB})["qa"], "train")
    repo = "/Repos/mlops-qa/demo"
    tasks = {t["task_key"]: t for t in body["task"]}
    assert tasks["notebook"]["notebook_task"]["notebook_path"] == f"{repo}/src/notebook"
    assert tasks["notebook"]["library"] == [{"whl": f"{repo}/dist/demo-1.0-py3-none-any.whl"},
                                            {"requirements": f"{repo}/requirements.txt"}]
    assert tasks["script"]["spark_python_task"]["python_file"] == f"{repo}/src/score.py"
    assert tasks["query"]["sql_task"]["file"]["path"] == f"{repo}/src/report.sql"
    inner = tasks["loop"]["for_each_task"]["task"]
    assert inner["notebook_task"]["notebook_path"] == f"{repo}/resources/inner"
    assert body["environment"][0]["spec"]["dependencies"] == [
        f"-r {repo}/requirements.txt", f"{repo}/dist/demo-1.0-py3-none-any.whl", "lightgbm==4.5.0"]
    init = body["job_cluster"][0]["new_cluster"]["init_scripts"][0]["workspace"]["destination"]
    assert init == f"{repo}/scripts/init.sh"


def test_pipeline_paths_resolve_and_globs_stay_globs(tmp_path: Path):
    pipeline = deployments(tmp_path, {"delta_live_tables/etl.yml": PIPELINE})["prod"].pipelines[0].body
    repo = "/Repos/mlops-prod/demo"
    assert pipeline["root_path"] == f"{repo}/src/pipeline"
    assert pipeline["library"] == [{"notebook": {"path": f"{repo}/src/dlt/bronze"}},
                                   {"file": {"path": f"{repo}/src/dlt/silver.py"}},
                                   {"glob": {"include": f"{repo}/src/transformations/**"}}]


def test_the_anchor_is_configurable(tmp_path: Path):
    project = PROJECT + "paths: {spec_root: .}\n"
    spec = "name: t\ntasks: [{task_key: t, notebook_task: {notebook_path: src/train.py}, existing_cluster_id: x}]\n"
    body = job(deployments(tmp_path, {"jobs/t.yml": spec}, project=project)["dev"], "t")
    assert body["task"][0]["notebook_task"]["notebook_path"] == "/Repos/mlops-dev/demo/src/train"


def test_tasks_of_a_job_with_git_source_keep_relative_paths(tmp_path: Path):
    spec = """\
    name: t
    git_source: {git_url: https://github.com/contoso/demo, git_provider: gitHub, git_branch: main}
    tasks:
      - {task_key: a, existing_cluster_id: x, notebook_task: {notebook_path: src/train}}
      - {task_key: b, existing_cluster_id: x, notebook_task: {notebook_path: ../src/ws.py, source: WORKSPACE}}
    """
    body = job(deployments(tmp_path, {"jobs/t.yml": spec})["dev"], "t")
    paths = {t["task_key"]: t["notebook_task"]["notebook_path"] for t in body["task"]}
    assert paths == {"a": "src/train", "b": "/Repos/mlops-dev/demo/src/ws"}


def test_a_path_that_leaves_the_repository_is_an_error(tmp_path: Path):
    spec = "name: t\ntasks: [{task_key: t, existing_cluster_id: x, notebook_task: {notebook_path: ../../other/nb}}]\n"
    found = errors(tmp_path, {"jobs/t.yml": spec})
    assert any(e.startswith("projects/demo/jobs/t.yml:2:78: tasks[t].notebook_task.notebook_path: "
                            "'../../other/nb' leaves the repository") for e in found), found


def test_a_library_glob_is_an_error(tmp_path: Path):
    spec = "name: t\ntasks: [{task_key: t, existing_cluster_id: x, notebook_task: {notebook_path: /Shared/nb},\n" \
           "  libraries: [{whl: ../dist/*.whl}]}]\n"
    found = errors(tmp_path, {"jobs/t.yml": spec})
    assert any(e.startswith("projects/demo/jobs/t.yml:3:21: tasks[t].libraries[0].whl: '../dist/*.whl' is a glob")
               for e in found), found


def test_personal_paths_are_errors_outside_development(tmp_path: Path):
    spec = "name: t\ntasks: [{task_key: t, existing_cluster_id: x,\n" \
           "  notebook_task: {notebook_path: /Users/alice@contoso.com/scratch}}]\n"
    found = errors(tmp_path, {"jobs/t.yml": spec})
    personal = [e for e in found if "personal workspace path" in e]
    assert {e.split(": ")[0] for e in personal} == {"projects/demo/jobs/t.yml:3:34"}
    assert any("in staging environment 'qa'" in e for e in personal)  # the run stops at the first environment
    assert not any("'dev'" in e for e in personal)


def test_another_persons_repo_is_personal_but_the_projects_git_folder_is_not(tmp_path: Path):
    spec = "name: t\ntasks:\n" \
           "  - {task_key: a, existing_cluster_id: x, notebook_task: {notebook_path: /Repos/bob/demo/nb}}\n" \
           "  - {task_key: b, existing_cluster_id: x, notebook_task: {notebook_path: '{REPO_PATH}/nb'}}\n"
    found = [e for e in errors(tmp_path, {"jobs/t.yml": spec}) if "personal" in e]
    assert found and all(e.startswith("projects/demo/jobs/t.yml:3:") and "/Repos/bob/demo/nb" in e for e in found)


def test_an_invalid_anchor_is_an_error(tmp_path: Path):
    project = PROJECT + "paths: {spec_root: ../outside}\n"
    found = errors(tmp_path, {}, project=project)
    assert any(e.startswith("projects/demo/project.yaml:6:20: paths.spec_root:") for e in found), found
