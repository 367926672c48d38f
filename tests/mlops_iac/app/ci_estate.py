"""A small estate of its own for the CI command tests: three environments, one per stage.

dev: creates its workspace (the workspace stack reads the platform stack's state), local sandbox
state. stg: adopts a workspace and creates only storage (no cross-stack read). prd: adopts a
workspace and creates its Key Vault (the workspace stack reads the vault), azurerm state.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

from tests.conftest import MINIMAL_DEFAULTS, MINIMAL_ENV

DEFAULTS = MINIMAL_DEFAULTS.replace("{cost_center: ml-platform}", "{cost_center: ml-platform, project: ci}")

DEV = MINIMAL_ENV + "state:\n  backend: local\n  sandbox: true\n"

STG = """\
stage: staging
display_name: Stg
azure:
  subscription_id: 00000000-0000-0000-0000-000000000002
  resource_group: rg-stg
workspace:
  existing:
    url: https://adb-1234567890123456.7.azuredatabricks.net
    resource_id: /subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/rg-x/providers/Microsoft.Databricks/workspaces/dbw-x
storage:
  account: stciestatestg
state:
  backend: azurerm
  resource_group: rg-tfstate
  storage_account: stciestatestate
  container: tfstate
  key_prefix: stg/
"""

PRD = """\
stage: production
display_name: Prd
azure:
  subscription_id: 00000000-0000-0000-0000-000000000003
  resource_group: rg-prd
workspace:
  existing:
    url: https://adb-2234567890123456.7.azuredatabricks.net
    resource_id: /subscriptions/00000000-0000-0000-0000-000000000003/resourceGroups/rg-y/providers/Microsoft.Databricks/workspaces/dbw-y
key_vault:
  name: kv-ci-prd
  purge_protection: true
state:
  backend: azurerm
  resource_group: rg-tfstate
  storage_account: stciestatestate
  container: tfstate
  key_prefix: prd/
"""

FILES = {"defaults.yaml": DEFAULTS, "dev.yaml": DEV, "stg.yaml": STG, "prd.yaml": PRD}


def write_estate(root: Path, files: dict[str, str] | None = None) -> Path:
    """envs/ with the files above (or others) under root; returns the envs directory."""
    envs = root / "envs"
    envs.mkdir(parents=True, exist_ok=True)
    for name, text in (FILES if files is None else files).items():
        (envs / name).write_text(textwrap.dedent(text))
    return envs


# --- an estate with one ML project whose integration tests deploy to staging -------------------

PROJECT_DEFAULTS = """\
azure: {tenant_id: 11111111-2222-3333-4444-555555555555, location: eastus2}
cluster_policies:
  jobs: {purpose: job, definition: {custom_tags.team: {type: fixed, value: ml}}}
projects: [demo]
"""

PROJECT_ENV = """\
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
  default: {branch: main}
"""

TEST_JOB = """\
name: {name}
tasks:
  - task_key: run
    notebook_task: {{notebook_path: '{{REPO_PATH}}/tests/{name}'}}
    new_cluster: {{spark_version: 15.4.x-cpu-ml-scala2.12, node_type_id: Standard_DS3_v2, num_workers: 1}}
"""


def write_project_estate(root: Path, test_jobs: tuple[str, ...] = ("smoke", "e2e")) -> Path:
    """envs/ with dev (development) and stg (staging), and projects/demo with tests/<name>.yml
    per test job; returns the envs directory."""
    files = {"defaults.yaml": PROJECT_DEFAULTS}
    for n, (name, stage) in enumerate((("dev", "development"), ("stg", "staging")), 1):
        files[f"{name}.yaml"] = PROJECT_ENV.format(name=name, stage=stage, n=n)
    envs = write_estate(root, files)
    project = root / "projects" / "demo"
    (project / "tests").mkdir(parents=True)
    (project / "project.yaml").write_text(PROJECT)
    for name in test_jobs:
        (project / "tests" / f"{name}.yml").write_text(TEST_JOB.format(name=name))
    return envs
