"""Lint the CI templates users copy: valid YAML, the shape each CI system expects, every make
target and console script they reference exists, and they follow the estate (stack list and
promotion order come from `mlops-iac stacks --json`, never from the template)."""
import re
import shutil
import subprocess

import pytest
from ruamel.yaml import YAML

from mlops_iac.config.pipeline import STAGE_ORDER
from mlops_iac.app.terraform import TERRAFORM_VERSION
from tests.conftest import REPO

TEMPLATES = {"github": REPO / "ci" / "github-actions.yml", "azure": REPO / "ci" / "azure-pipelines.yml"}
PROMOTION = sorted(STAGE_ORDER, key=STAGE_ORDER.get)


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


def steps_using(node, action: str) -> list[dict]:
    """Every step that uses an action (GitHub `uses:`) or a task (Azure `task:`)."""
    found = []
    if isinstance(node, dict):
        if str(node.get("uses", node.get("task", ""))).startswith(action):
            found.append(node)
        for value in node.values():
            found += steps_using(value, action)
    elif isinstance(node, list):
        for item in node:
            found += steps_using(item, action)
    return found


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_make_target_and_console_script_exists(name):
    commands = "\n".join(scripts(load(name)))
    targets = set(re.findall(r"make (?:-C \S+ )?(?:--silent )?([a-z][a-z-]*)", commands))
    assert targets and targets <= make_targets(), targets - make_targets()
    consoles = set(re.findall(r"\.venv/bin/([a-z-]+)", commands))
    declared = set(re.findall(r'^([a-z-]+) = "', (REPO / "pyproject.toml").read_text(), re.M))
    assert consoles and consoles <= declared, consoles - declared
    assert "mlops-iac stacks --json" in commands  # the estate comes from the app


@pytest.mark.parametrize("name", TEMPLATES)
def test_templates_name_no_stack_and_no_environment(name):
    """Adding an environment needs no template change: nothing of the estate is written here."""
    from mlops_iac.app.listing import estate

    text = TEMPLATES[name].read_text()
    assert not re.search(r"\b[a-z0-9]+-(platform|workspace)\b", text), "a stack id in the template"
    known = estate(REPO / "envs")  # this check is about the estate the templates ship beside
    named = {e["name"] for e in known["environments"]} | set(known["stacks"])
    words = set(re.findall(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", text)) | set(re.findall(r"[A-Za-z0-9]+", text))
    assert not named & {w.lower() for w in words}, named & {w.lower() for w in words}


@pytest.mark.parametrize("name", TEMPLATES)
def test_terraform_is_pinned_once_to_the_version_the_tests_use(name):
    text = TEMPLATES[name].read_text()
    assert re.findall(r"TERRAFORM_VERSION: '([\d.]+)'", text) == [TERRAFORM_VERSION]
    assert len(re.findall(r"\b\d+\.\d+\.\d+\b", "\n".join(l for l in text.splitlines() if "terraform" in l.lower()))) == 1
    if name == "github":
        setups = steps_using(load(name), "hashicorp/setup-terraform")
        assert setups and all(s["with"]["terraform_version"] == "${{ env.TERRAFORM_VERSION }}" for s in setups)
    else:
        downloads = [s for s in scripts(load(name)) if "terraform.zip" in s]
        assert downloads and all("$(TERRAFORM_VERSION)" in s for s in downloads)
    if shutil.which("terraform"):
        version = subprocess.run(["terraform", "version", "-json"], capture_output=True, text=True).stdout
        assert f'"terraform_version": "{TERRAFORM_VERSION}"' in version


@pytest.mark.parametrize("name", TEMPLATES)
def test_venv_and_node_modules_are_cached_on_the_lock_files(name):
    caches = steps_using(load(name), "actions/cache" if name == "github" else "Cache@")
    assert caches
    if name == "github":
        for cache in caches:
            assert {".venv", "node_modules"} <= set(cache["with"]["path"].split())
            assert all(f in cache["with"]["key"] for f in ("requirements.lock", "package-lock.json"))
    else:
        keys = {c["inputs"]["path"].rsplit("/", 1)[1]: c["inputs"]["key"] for c in caches}
        assert "requirements.lock" in keys[".venv"] and "package-lock.json" in keys["node_modules"]


def test_github_workflow_shape():
    flow = load("github")
    assert set(flow["on"]) == {"pull_request", "push"} and flow["on"]["push"]["tags"] == ["v*"]
    jobs = flow["jobs"]
    for name, job in jobs.items():
        assert job["runs-on"] and job["steps"], name
    # the estate job emits the stack matrix and one environment list per stage, in promotion order
    assert list(jobs["estate"]["outputs"]) == ["stacks", *PROMOTION]
    assert jobs["plan"]["strategy"]["matrix"]["stack"] == "${{ fromJSON(needs.estate.outputs.stacks) }}"
    assert "pull_request" in jobs["plan"]["if"]
    # promotion: development -> staging -> integration tests -> production (tag + approval)
    assert "estate" in jobs["deploy-development"]["needs"]
    assert "deploy-development" in jobs["deploy-staging"]["needs"]
    assert "deploy-staging" in jobs["integration-tests"]["needs"]
    assert "integration-tests" in jobs["deploy-production"]["needs"]
    assert "needs.integration-tests.result == 'success'" in jobs["deploy-production"]["if"]
    prod = jobs["deploy-production"]
    assert prod["environment"] == "production" and "refs/tags/v" in prod["if"]
    for stage in PROMOTION:
        job = jobs[f"deploy-{stage}"]
        assert job["strategy"]["matrix"]["environment"] == f"${{{{ fromJSON(needs.estate.outputs.{stage}) }}}}"
        assert "make deploy STACKS='${{ matrix.environment }}-*' AUTO_APPROVE=1" in scripts(job)[-1]
    assert "make run-tests ENV=${{ matrix.environment }}" in scripts(jobs["integration-tests"])[-1]


def test_azure_pipeline_shape():
    pipeline = load("azure")
    stages = {s["stage"]: s for s in pipeline["stages"]}
    assert list(stages) == ["Test", "Plan", "DeployDevelopment", "DeployStaging", "IntegrationTests",
                            "DeployProduction"]
    assert pipeline["variables"]["CI"] == "true"  # Azure Pipelines does not set it; the app checks it
    plan_jobs = {j["job"]: j for j in stages["Plan"]["jobs"]}
    assert plan_jobs["plan"]["strategy"]["matrix"] == "$[ dependencies.estate.outputs['estate.matrix'] ]"
    assert stages["DeployStaging"]["dependsOn"] == "DeployDevelopment"
    assert "DeployStaging" in stages["IntegrationTests"]["dependsOn"]
    assert stages["DeployProduction"]["dependsOn"] == "IntegrationTests"
    assert "isTag" in stages["DeployProduction"]["condition"]
    assert stages["DeployProduction"]["jobs"][0]["environment"] == "mlops-production"
    for stage in PROMOTION:
        [deploy] = scripts(stages[f"Deploy{stage.capitalize()}"])[-1:]
        assert f"jq -r '.stages.{stage}[]'" in deploy and 'make deploy STACKS="$env-*" AUTO_APPROVE=1' in deploy
    [gate] = scripts(stages["IntegrationTests"])[-1:]
    assert "jq -r '.stages.staging[]'" in gate and 'make run-tests ENV="$env"' in gate


def test_azure_posts_the_summary_as_a_pr_thread_not_the_description():
    text = TEMPLATES["azure"].read_text()
    [post] = [s for s in scripts(load("azure")) if "pullRequests" in s]
    assert "/pullRequests/$(System.PullRequest.PullRequestId)/threads?api-version=" in post
    assert "Bearer $SYSTEM_ACCESSTOKEN" in post and "--data @thread.json" in post
    assert "--description" not in text and "pr update" not in text


def test_templates_hold_no_secrets():
    for path in TEMPLATES.values():
        text = path.read_text().lower()
        assert "client_secret" not in text and "password" not in text and "dapi" not in text
