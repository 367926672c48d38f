"""Inputs that used to be accepted and then failed at Azure or Databricks, or silently did
something else: each is now an error at the line that caused it (on a copy of the reference
fixture estate)."""
from __future__ import annotations

import pytest

from mlops_iac.config import load_environments
from tests.conftest import estate_copy
from tests.mlops_iac.config.test_hostile_inputs import edit, errors, first

P = "projects/churn/project.yaml"
D = "envs/defaults.yaml"
OVERRIDE_KEY = "    project: mlops-platform\n"

CASES = {
    "too-many-azure-tags": (D, OVERRIDE_KEY, OVERRIDE_KEY + "".join(f"    t{i}: v\n" for i in range(49)),
                            "envs/defaults.yaml:7:5: azure.tags:",
                            "54 tags per resource with the environment and managed_by tags the tool adds"),
    "reserved-tag-prefix": (D, OVERRIDE_KEY, OVERRIDE_KEY + "    Microsoft.Owner: v\n",
                            "envs/defaults.yaml:10:22: azure.tags.Microsoft.Owner:",
                            "tag name 'Microsoft.Owner' starts with a prefix Azure reserves"),
    "tag-names-differing-in-case": (D, OVERRIDE_KEY, OVERRIDE_KEY + "    Owner: x\n",
                                    "envs/defaults.yaml:8:12: azure.tags.owner:",
                                    "tag 'owner' and tag 'Owner' are the same tag for Azure"),
    "one-subnet-public-and-private": ("envs/prod.yaml", "name: snet-dbw-container", "name: snet-dbw-host",
                                      "envs/prod.yaml:21:13: workspace.vnet.private_subnet.name:",
                                      "subnet 'snet-dbw-host' is both the public and the private subnet"),
    "experiment-with-slash": (P, "experiments: [training, tuning]", "experiments: [a/b, tuning]",
                              "projects/churn/project.yaml:21:15: experiments[0]:", "'a/b' breaks the naming rule"),
    "experiment-dot-dot": (P, "experiments: [training, tuning]", "experiments: [training, '..']",
                           "projects/churn/project.yaml:21:25: experiments[1]:", "'..' breaks the naming rule"),
    "experiment-empty": (P, "experiments: [training, tuning]", "experiments: ['', tuning]",
                         "projects/churn/project.yaml:21:15: experiments[0]:", "'' breaks the naming rule"),
    "dotted-model-name": (P, "  churn_classifier: {description", "  churn.classifier: {description",
                          "projects/churn/project.yaml:20:3: models.churn.classifier:",
                          "model name 'churn.classifier' is not a valid registered model name"),
    "empty-model-name": (P, "  churn_classifier: {description", "  '': {description",
                         "projects/churn/project.yaml:20:3: models.:", "model name '' is not a valid registered"),
    "empty-branch": (P, "{branch: develop}", "{branch: ''}",
                     "projects/churn/project.yaml:9:25: follow.development.branch:", "'' breaks the naming rule"),
    "dotted-catalog": (P, "staging: ml_qa", "staging: ml.qa", "projects/churn/project.yaml:17:12: catalog.staging:",
                       "catalog 'ml.qa' is not a Unity Catalog catalog name"),
    "variable-shadowing-a-built-in": (P, "variables:\n", "variables:\n  REPO_PATH: /x\n",
                                      "projects/churn/project.yaml:23:3: variables.REPO_PATH:",
                                      "variable 'REPO_PATH' would shadow the built-in placeholder {REPO_PATH}"),
    "tests-in-no-environment": (P, "experiments: [training, tuning]",
                                "experiments: [training, tuning]\ntests: {environments: [qaa]}",
                                "projects/churn/project.yaml:22:24: tests.environments[0]:",
                                "'qaa' is neither an environment nor a stage"),
    "root-folder-dot-dot": (D, "root_folder: /Shared/mlops", "root_folder: /Shared/../mlops",
                            "envs/defaults.yaml:14:16: workspace.root_folder:", "'/Shared/../mlops' breaks the naming"),
    "state-key-prefix-dot-dot": ("envs/prod.yaml", "key_prefix: prod/", "key_prefix: ../../",
                                 "envs/prod.yaml:35:15: state.key_prefix:", "'../../' breaks the naming rule"),
    "deployer-without-access": ("envs/access.yaml", "    directory: CAN_MANAGE\n", "    directory: NONE\n",
                                "envs/access.yaml:54:16: matrix.deployer.directory:",
                                "the deployer 'mlops-deployer' would get no access to the directory objects"),
    "pipeline-as-job-id": ("projects/churn/jobs/retraining-trigger.yml", "{job:model-train}", "{pipeline:monitoring}",
                           "projects/churn/jobs/retraining-trigger.yml:16:",
                           "'{pipeline:monitoring}' is a pipeline, but job_id takes a job"),
    "scalar-default-under-a-mapping": (D, "storage:\n  replication: ZRS\n  containers: [bronze, silver, gold]\n",
                                       "storage: 42\n", "envs/defaults.yaml:15:10: storage:",
                                       "expected a mapping, got a number"),
    "misspelt-group-key": ("envs/prodfix.yaml", "groups:\n  ml-engineers:", "groups:\n  ml-enginers:",
                           "envs/prodfix.yaml:22:3: groups.ml-enginers:",
                           "group 'ml-enginers' is new in this environment and has no members"),
    "null-removing-nothing": ("envs/prod.yaml", "  personal: null", "  persnal: null",
                              "envs/prod.yaml:45:3: cluster_policies.persnal:",
                              "'persnal: null' removes nothing: the defaults have no cluster_policies entry"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_wrongly_accepted_input_is_a_located_error(tmp_path, case):
    rel, old, new, at, message = CASES[case]
    root = estate_copy(tmp_path / "estate")
    load_environments(root / "envs")  # the unedited estate is valid
    edit(root, rel, old, new)
    assert message in first(errors(root), at)


def test_misspelt_group_key_suggests_the_default_group(tmp_path):
    root = estate_copy(tmp_path / "estate")
    edit(root, "envs/prodfix.yaml", "groups:\n  ml-engineers:", "groups:\n  ml-enginers:")
    assert first(errors(root), "envs/prodfix.yaml:22:3:").endswith("did you mean 'ml-engineers'?")


def test_a_new_group_with_members_is_a_new_group(tmp_path):
    root = estate_copy(tmp_path / "estate")
    edit(root, "envs/prodfix.yaml", "groups:\n", "groups:\n  ml-engineer-leads: {users: [dan.okafor@contoso.com]}\n")
    loaded = {env.config.name: env.config for env in load_environments(root / "envs")}
    assert "ml-engineer-leads" in loaded["prodfix"].groups and "ml-engineer-leads" not in loaded["qa"].groups


def test_specs_in_a_nested_folder_are_an_error(tmp_path):
    root = estate_copy(tmp_path / "estate")
    (root / "projects/churn/jobs/sub").mkdir()
    (root / "projects/churn/jobs/sub/extra.yml").write_text("name: extra\n")
    line = first(errors(root), "projects/churn/jobs/sub:1:1: (folder):")
    assert "specs in a nested folder are not deployed: 'jobs/sub'" in line


def test_a_missing_access_file_grants_nothing(tmp_path):
    """Deliberate acceptance (README): without envs/access.yaml nobody but the deployer gets access."""
    root = estate_copy(tmp_path / "estate")
    (root / "envs/access.yaml").unlink()
    for env in load_environments(root / "envs"):
        assert env.config.access.by_kind == {}
