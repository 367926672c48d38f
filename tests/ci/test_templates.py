"""Lint the CI templates users copy: valid YAML, the shape each CI system expects, and every make
target, console script and stack they reference exists."""
import re

import pytest
from ruamel.yaml import YAML

from tests.conftest import REPO

TEMPLATES = {"github": REPO / "ci" / "github-actions.yml", "azure": REPO / "ci" / "azure-pipelines.yml"}


def load(name: str) -> dict:
    return YAML(typ="safe", pure=True).load(TEMPLATES[name].read_text())


def make_targets() -> set[str]:
    return {m.group(1) for m in re.finditer(r"^([a-z][a-z-]*):", (REPO / "Makefile").read_text(), re.M)}


def scripts(node) -> list[str]:
    """Every shell command in a template (run:, script:, inlineScript:)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "script", "inlineScript") and isinstance(value, str):
                found.append(value)
            else:
                found += scripts(value)
    elif isinstance(node, list):
        for item in node:
            found += scripts(item)
    return found


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_make_target_and_console_script_exists(name):
    commands = "\n".join(scripts(load(name)))
    targets = set(re.findall(r"make (?:-C \S+ )?([a-z][a-z-]*)", commands))
    assert targets and targets <= make_targets(), targets - make_targets()
    consoles = set(re.findall(r"\.venv/bin/([a-z-]+)", commands))
    declared = set(re.findall(r'^([a-z-]+) = "', (REPO / "pyproject.toml").read_text(), re.M))
    assert consoles <= declared, consoles - declared


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_planned_stack_exists_and_every_environment_deploys(name, example_stacks):
    text = TEMPLATES[name].read_text()
    planned = set(re.findall(r"\b((?:prodfix|qa|prod)-(?:platform|workspace))\b", text))
    assert planned == set(example_stacks)
    deployed = re.findall(r"STACKS='([a-z]+)-\*'", text)
    assert deployed == ["prodfix", "qa", "prod"]  # in promotion order


def test_github_workflow_shape():
    flow = load("github")
    assert set(flow["on"]) == {"pull_request", "push"} and flow["on"]["push"]["tags"] == ["v*"]
    for name, job in flow["jobs"].items():
        assert job["runs-on"] and job["steps"], name
    jobs = flow["jobs"]
    assert jobs["deploy-qa"]["needs"] == "deploy-prodfix"
    assert jobs["deploy-prod"]["environment"] == "production" and "refs/tags/v" in jobs["deploy-prod"]["if"]
    assert "pull_request" in jobs["plan"]["if"] and len(jobs["plan"]["strategy"]["matrix"]["stack"]) == 6


def test_azure_pipeline_shape():
    pipeline = load("azure")
    stages = {s["stage"]: s for s in pipeline["stages"]}
    assert list(stages) == ["Test", "Plan", "DeployProdfix", "DeployQA", "DeployProd"]
    assert stages["DeployQA"]["dependsOn"] == "DeployProdfix"
    prod = stages["DeployProd"]["jobs"][0]
    assert prod["environment"] == "mlops-prod" and "isTag" in stages["DeployProd"]["condition"]
    assert len(stages["Plan"]["jobs"][0]["strategy"]["matrix"]) == 6


def test_templates_hold_no_secrets():
    for path in TEMPLATES.values():
        text = path.read_text().lower()
        assert "client_secret" not in text and "password" not in text and "dapi" not in text
