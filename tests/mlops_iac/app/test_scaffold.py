"""Scaffolding on fixture estates in tmp_path: `new-env NAME --from EXISTING` and `new-project NAME`."""
import difflib

import pytest

from mlops_iac.config import load_environments
from mlops_iac.app.cli import main
from mlops_iac.app.scaffold import ScaffoldError, new_env, new_project
from tests.conftest import ESTATES, MINIMAL_DEFAULTS, estate_copy, write_envs

ADOPTING = """\
stage: staging
display_name: Shared QA
azure: {subscription_id: 00000000-0000-4000-8000-000000000002, resource_group: rg-central}
workspace:
  # adopted from the central team
  existing:
    url: https://adb-1234567890123456.7.azuredatabricks.net
    resource_id: /subscriptions/00000000-0000-4000-8000-000000000002/resourceGroups/rg-central/providers/Microsoft.Databricks/workspaces/dbw-central
storage: {account: stlakeshared}
key_vault: {name: kv-shared-secrets}
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def environments(envs):
    return {e.config.name: e.config for e in load_environments(envs)}


def test_new_env_copies_the_source_with_its_own_names_and_keeps_comments(tmp_path):
    envs = estate_copy(tmp_path) / "envs"
    source = (envs / "prodfix.yaml").read_text()
    # WHEN a fourth environment is made from the development one
    result = new_env(envs, "dev2", "prodfix")
    # THEN only the names (and the display name) differ, after a header that says where it came from
    written = (envs / "dev2.yaml").read_text()
    assert result.written == [envs / "dev2.yaml"] and result.notes == []
    assert changed_lines(source, written) == [
        "+ # dev2: copied from prodfix by `mlops-iac new-env`; review the names and comments.",
        "- display_name: Prodfix", "+ display_name: Dev2",
        "-   resource_group: rg-mlops-prodfix", "+   resource_group: rg-mlops-dev2",
        "-   name: dbw-mlops-prodfix", "+   name: dbw-mlops-dev2",
        "-   account: stmlopsprodfix", "+   account: stmlopsdev2",
        "-   name: kv-mlops-prodfix", "+   name: kv-mlops-dev2"]
    loaded = environments(envs)
    assert loaded["dev2"].managed_resource_group == "rg-mlops-dev2-dbw-managed"
    assert loaded["dev2"].azure.subscription_id == loaded["prodfix"].azure.subscription_id


def test_new_env_renames_the_state_key_keeps_explicit_nulls_and_notes_what_does_not_carry_over(tmp_path):
    envs = estate_copy(tmp_path) / "envs"
    prod = (envs / "prod.yaml").read_text()
    project = tmp_path / "projects" / "churn" / "project.yaml"  # a catalog per production environment
    project.write_text(project.read_text().replace("  production: ml_prod\n", "  prod: ml_prod\n  production: ml_prod2\n"))
    result = new_env(envs, "prod2", "prod")
    written = (envs / "prod2.yaml").read_text()
    assert result.notes == [
        "workspace.vnet: a subnet pair hosts one workspace only: point it at subnets of 'prod2'",
        f"{project}: catalog.prod applies to 'prod' only; 'prod2' gets the stage or default value there "
        "(add a 'prod2' key to match)",
        f"{project}: overrides.prod applies to 'prod' only; 'prod2' gets the stage or default value there "
        "(add a 'prod2' key to match)"]
    assert "  key_prefix: prod2/\n" in written and "  managed_resource_group: rg-mlops-prod2-dbw-managed\n" in written
    assert "  personal: null          # no personal compute in Prod\n" in written
    assert written.count("/resourceGroups/rg-network-prod/") == prod.count("/resourceGroups/rg-network-prod/")


def test_new_env_from_an_adopted_workspace_creates_its_own_and_derives_unique_names(tmp_path):
    envs = write_envs(tmp_path, {"defaults.yaml": MINIMAL_DEFAULTS, "qa1.yaml": ADOPTING})
    result = new_env(envs, "qa2", "qa1")
    written = (envs / "qa2.yaml").read_text()
    assert "existing:" not in written and "  # adopted from the central team\n  name: dbw-qa2\n" in written
    assert "account: stlakesharedqa2" in written and "name: kv-shared-secrets-qa2" in written
    assert "resource_group: rg-central" in written  # not a name that must be unique
    assert "display_name: Qa2" in written
    assert [n.split(":")[0] for n in result.notes] == ["storage.account", "key_vault.name", "workspace"]
    assert "cannot share" in result.notes[2] and "'dbw-qa2'" in result.notes[2]
    assert environments(envs)["qa2"].greenfield


@pytest.mark.parametrize("name, source, message", [
    ("prodfix", "qa", "environment 'prodfix' exists already (envs/prodfix.yaml); choose another name (nothing written)"),
    ("Dev-2", "prodfix", "'Dev-2' is not a valid environment name (expected 2-16 lowercase letters and digits, "
                         "starting with a letter)"),
    ("dev2", "prodfx", "--from: no environment 'prodfx' in envs/ (expected one of prod, prodfix, qa); "
                       "did you mean 'prodfix'?"),
])
def test_new_env_refuses_bad_input_and_writes_nothing(tmp_path, monkeypatch, name, source, message):
    estate_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in (tmp_path / "envs").iterdir())
    with pytest.raises(ScaffoldError) as caught:
        new_env(tmp_path.relative_to(tmp_path) / "envs", name, source)
    assert caught.value.lines == (message,)
    assert sorted(p.name for p in (tmp_path / "envs").iterdir()) == before


def test_new_env_whose_result_does_not_load_prints_the_errors_and_writes_nothing(tmp_path):
    # GIVEN the reference estate, whose project writes Unity Catalog models per stage
    envs = estate_copy(tmp_path) / "envs"
    # WHEN a second staging environment is made: both would write the same model
    with pytest.raises(ScaffoldError) as caught:
        new_env(envs, "qa2", "qa")
    assert caught.value.lines[0].startswith(
        "projects/churn/project.yaml:1:1: catalog: model 'ml_qa.churn.churn_classifier' would be written by "
        "environments 'qa' and 'qa2'")
    assert caught.value.lines[-1] == "1 error in the result; nothing written"
    assert not (envs / "qa2.yaml").exists()


def test_new_project_writes_a_skeleton_that_every_environment_deploys(tmp_path):
    envs = estate_copy(tmp_path) / "envs"
    defaults = (envs / "defaults.yaml").read_text()
    result = new_project(envs, "fraud")
    folder = tmp_path / "projects" / "fraud"
    assert result.written == [folder / "project.yaml", folder / "jobs/train.yml",
                              folder / "tests/integration-test.yml", envs / "defaults.yaml"]
    assert changed_lines(defaults, (envs / "defaults.yaml").read_text()) == [
        "- projects: [churn]", "+ projects: [churn, fraud]"]
    for name, config in environments(envs).items():
        fraud = next(d for d in config.deployments if d.name == "fraud")
        jobs = sorted(j.key for j in fraud.jobs)
        assert jobs == (["test-integration-test", "train"] if config.stage == "staging" else ["train"]), name


def test_new_project_adds_the_projects_list_when_defaults_has_none(tmp_path):
    envs = estate_copy(tmp_path, ESTATES / "minimal") / "envs"
    new_project(envs, "churn-v2")
    assert (envs / "defaults.yaml").read_text().endswith("projects: [churn-v2]\n")
    assert [d.name for d in environments(envs)["sandbox"].deployments] == ["churn-v2"]


@pytest.mark.parametrize("name, message", [
    ("churn", "project 'churn' exists already (projects/churn); choose another name (nothing written)"),
    ("Fraud", "'Fraud' is not a valid project name (expected 2-40 lowercase letters, digits, '-' or '_', "
              "starting with a letter)"),
])
def test_new_project_refuses_bad_input_and_writes_nothing(tmp_path, monkeypatch, name, message):
    estate_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    defaults = (tmp_path / "envs" / "defaults.yaml").read_text()
    with pytest.raises(ScaffoldError) as caught:
        new_project(tmp_path.relative_to(tmp_path) / "envs", name)
    assert caught.value.lines == (message,)
    assert (tmp_path / "envs" / "defaults.yaml").read_text() == defaults
    assert sorted(p.name for p in (tmp_path / "projects").iterdir()) == ["churn"]


def test_new_project_whose_estate_does_not_load_is_undone(tmp_path):
    envs = estate_copy(tmp_path) / "envs"
    defaults = (envs / "defaults.yaml").read_text()
    (envs / "prodfix.yaml").write_text((envs / "prodfix.yaml").read_text().replace("stage: development", "stage: dev"))
    with pytest.raises(ScaffoldError) as caught:
        new_project(envs, "fraud")
    assert caught.value.lines[0].startswith("envs/prodfix.yaml:3:8: stage: string 'dev' is not allowed")
    assert (envs / "defaults.yaml").read_text() == defaults and not (tmp_path / "projects" / "fraud").exists()


def test_cli_prints_what_it_wrote_and_the_next_steps(tmp_path, monkeypatch, capsys):
    estate_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["new-env", "dev2", "--from", "prodfix"]) == 0
    assert main(["new-project", "fraud"]) == 0
    out = capsys.readouterr().out
    assert "wrote envs/dev2.yaml\nnext:\n  make synth" in out
    assert "wrote projects/fraud/project.yaml\n" in out and "  make golden" in out and "  make docs" in out
    assert main(["new-env", "dev2", "--from", "prodfix"]) == 1
    assert capsys.readouterr().err == ("environment 'dev2' exists already (envs/dev2.yaml); choose another name "
                                       "(nothing written)\n")
