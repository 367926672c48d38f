"""A one-project workspace in tmp_path: envs/ with dev (development), qa (staging), prod
(production), a job-compute policy and a deployer, and projects/demo/."""
import textwrap
from pathlib import Path

from mlops_iac.config import load_environments
from tests.conftest import config_errors

DEFAULTS = """\
azure: {tenant_id: 11111111-2222-3333-4444-555555555555, location: eastus2}
cluster_policies:
  jobs: {purpose: job, definition: {custom_tags.team: {type: fixed, value: ml}}}
  big: {definition: {}}
projects: [demo]
"""

ENV = """\
stage: {stage}
display_name: {name}
azure: {{subscription_id: 00000000-0000-0000-0000-00000000000{n}, resource_group: rg-{name}}}
workspace: {{name: dbw-{name}}}
service_principals:
  ci: {{application_id: 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5{n}, external: true}}
deployer: ci
"""

PROJECT = """\
repo: {url: https://github.com/contoso/demo, provider: gitHub}
follow:
  development: {branch: develop}
  default: {branch: main}
  prod: {tag: v1.0.0}
"""

JOB = """\
name: train
tasks:
  - task_key: train
    notebook_task: {notebook_path: '{REPO_PATH}/Train'}
    new_cluster: {spark_version: 15.4.x-cpu-ml-scala2.12, node_type_id: Standard_DS3_v2, num_workers: 1}
"""


def write_project(root: Path, specs: dict[str, str], project: str = PROJECT, envs_extra: str = "") -> Path:
    envs = root / "envs"
    envs.mkdir(parents=True, exist_ok=True)
    (envs / "defaults.yaml").write_text(DEFAULTS + envs_extra)
    for n, (name, stage) in enumerate((("dev", "development"), ("qa", "staging"), ("prod", "production")), 1):
        (envs / f"{name}.yaml").write_text(ENV.format(name=name, stage=stage, n=n))
    folder = root / "projects" / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "project.yaml").write_text(textwrap.dedent(project))
    for rel, text in specs.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(textwrap.dedent(text))
    return envs


def deployments(root: Path, specs: dict[str, str], **kw) -> dict:
    """environment name -> the demo project's deployment."""
    envs = load_environments(write_project(root, specs, **kw))
    return {e.config.name: e.config.deployments[0] for e in envs}


def errors(root: Path, specs: dict[str, str], **kw) -> list[str]:
    return config_errors(write_project(root, specs, **kw))


def job(deployment, key: str) -> dict:
    return next(j for j in deployment.jobs if j.key == key).body
