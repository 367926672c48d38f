"""The files of a new ML project (`mlops-iac new-project NAME`): a project.yaml that explains
itself, one example job and one example integration test, all of which load as written."""
from __future__ import annotations

PROJECT_YAML = """\
# ML project '{name}': deployed to every environment that lists it in `projects:`
# (envs/defaults.yaml, or one environment's file). Per environment it becomes a git folder
# (/Repos/mlops-<env>/{name}), an experiment folder, registered models, one job per jobs/*.yml,
# one pipeline per delta_live_tables/*.yml and one test job per tests/*.yml.
# Specs are Jobs API 2.1 / Pipelines API payloads; placeholders: {{REPO_PATH}}, {{ENV}},
# {{PROJECT}}, {{CATALOG}}, {{SCHEMA}} and the `variables` below.

# The git repository synced as the project's git folder (provider as Databricks names it:
# gitHub, gitLab, azureDevOpsServices, bitbucketCloud, ...).
repo: {{url: https://github.com/your-org/{name}, provider: gitHub}}

# The branch or tag each environment follows: by environment name, stage or `default`.
follow:
  development: {{branch: develop}}
  default: {{branch: main}}
  # production: {{tag: v1.0.0}}      # pin a release tag in production

# Model registry per environment: workspace (MLflow workspace registry) or unity_catalog.
# registry: {{development: workspace, default: unity_catalog}}
# Unity Catalog catalog per environment, needed where the registry is unity_catalog.
# catalog: {{development: ml_dev, staging: ml_qa, production: ml_prod}}

# Left out: one model and one experiment named after the project.
# models: {{{model}: {{description: What the model predicts}}}}
# experiments: [training]

# Placeholders for specs, one value or one per environment name / stage / default.
# variables: {{alert_email: {{production: oncall@your-org.com, default: team@your-org.com}}}}

# Where tests/*.yml are deployed (environment names or stages); left out: staging.
# tests: {{environments: [staging]}}
"""

TRAIN_JOB = """\
# An example job (Jobs API 2.1 payload): deployed as <env>-{name}-train in every environment of
# the project. Schedules are paused outside production unless `deploy:` says otherwise.
# Without a cluster the task runs on serverless jobs compute; a job_clusters entry runs under
# the environment's job-compute cluster policy.
name: train
tasks:
  - task_key: train
    notebook_task:
      notebook_path: '{{REPO_PATH}}/notebooks/train'
      base_parameters: {{environment: '{{ENV}}'}}
"""

INTEGRATION_TEST = """\
# An example integration test: one test job per tests/*.yml, deployed where `tests.environments`
# of project.yaml says (staging by default), to run after a deploy there.
name: integration-test
tasks:
  - task_key: integration-test
    notebook_task:
      notebook_path: '{{REPO_PATH}}/tests/integration_test'
"""


def project_files(name: str) -> dict[str, str]:
    """Relative path -> text of every file of a new project."""
    return {
        "project.yaml": PROJECT_YAML.format(name=name, model=name.replace("-", "_") + "_model"),
        "jobs/train.yml": TRAIN_JOB.format(name=name),
        "tests/integration-test.yml": INTEGRATION_TEST.format(name=name),
    }
