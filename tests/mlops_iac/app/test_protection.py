"""One list of stateful types: production protects exactly those, the review flags exactly those,
and a retire entry lifts the protection of the objects it names (and only existing ones)."""
import json

import pytest
from cdktf import App, TerraformStack

from constructs_lib.generic import GenericProvider, GenericResource, ProviderFacts
from mlops_iac.config import ConfigError, load_environments
from mlops_iac.provider_facts.stateful import STATEFUL
from mlops_iac.review.changes import ResourceChange
from mlops_iac.review.risks import destroy_of_stateful
from mlops_iac.app.assembly import build_app
from mlops_iac.app.protection import protect_stateful
from tests.conftest import estate_copy

FACTS = ProviderFacts(name="any", source="any", version="1.0.0", version_constraint="~> 1.0")
NOT_STATEFUL = ("databricks_job", "databricks_permissions", "azurerm_private_endpoint", "databricks_cluster_policy")


def _synth_one_of_each(tmp_path, retired=()):
    app = App(outdir=str(tmp_path / "out"), stack_traces=False)
    stack = TerraformStack(app, "prod-platform")
    GenericProvider(stack, "any", provider=FACTS, body={})
    for rtype in sorted(STATEFUL) + list(NOT_STATEFUL):
        GenericResource(stack, rtype, provider=FACTS, resource_type=rtype, body={"name": "x"})
    marked, matched = protect_stateful(stack, retired)
    app.synth()
    synthesized = json.loads((tmp_path / "out" / "stacks" / "prod-platform" / "cdk.tf.json").read_text())
    lifecycle = {rtype: next(iter(items.values())).get("lifecycle") for rtype, items in synthesized["resource"].items()}
    return marked, matched, lifecycle


def test_every_stateful_type_gets_prevent_destroy_and_nothing_else_does(tmp_path):
    marked, matched, lifecycle = _synth_one_of_each(tmp_path)
    assert marked == len(STATEFUL) and matched == set()
    assert {t for t, life in lifecycle.items() if life == {"prevent_destroy": True}} == STATEFUL
    assert all(lifecycle[t] is None for t in NOT_STATEFUL)


def test_a_retired_path_loses_prevent_destroy_and_counts_as_found(tmp_path):
    marked, matched, lifecycle = _synth_one_of_each(tmp_path, retired=("prod-platform/azurerm_key_vault",))
    assert matched == {"prod-platform/azurerm_key_vault"} and marked == len(STATEFUL) - 1
    assert lifecycle["azurerm_key_vault"] is None and lifecycle["azurerm_storage_account"] == {"prevent_destroy": True}


@pytest.mark.parametrize("action", ["delete", "replace"])
def test_the_review_flags_exactly_the_stateful_types(action):
    flagged = {rtype for rtype in sorted(STATEFUL) + list(NOT_STATEFUL)
               if list(destroy_of_stateful(ResourceChange("prod-x", f"{rtype}.r", action), True))}
    assert flagged == STATEFUL
    assert not list(destroy_of_stateful(ResourceChange("prod-x", "azurerm_key_vault.r", "update"), True))


def _with_retire(tmp_path, lines):
    project = estate_copy(tmp_path / "estate")
    prod = project / "envs" / "prod.yaml"
    prod.write_text(prod.read_text() + "retire:\n" + "".join(f"  - {line}\n" for line in lines))
    return load_environments(project / "envs")


def _lifecycles(out, stack, rtype):
    synthesized = json.loads((out / "stacks" / stack / "cdk.tf.json").read_text())
    return [r.get("lifecycle") for r in synthesized["resource"].get(rtype, {}).values()]


def test_a_retired_project_is_synthesized_without_protection_and_the_rest_keeps_it(tmp_path):
    environments = [e for e in _with_retire(tmp_path, ["workspace/project-churn"]) if e.config.name == "prod"]
    out = tmp_path / "out"
    build_app(environments, str(out)).synth()
    assert _lifecycles(out, "prod-workspace", "databricks_mlflow_experiment") == [None, None]
    assert _lifecycles(out, "prod-workspace", "databricks_secret_scope") == [{"prevent_destroy": True}]
    assert set(map(json.dumps, _lifecycles(out, "prod-platform", "azurerm_storage_container"))) == {
        json.dumps({"prevent_destroy": True})}


def test_a_retire_entry_naming_nothing_is_an_error_at_its_line(tmp_path):
    environments = [e for e in _with_retire(tmp_path, ["workspace/project-chrun"]) if e.config.name == "prod"]
    with pytest.raises(ConfigError) as caught:
        build_app(environments, str(tmp_path / "out"))
    [diagnostic] = caught.value.diagnostics
    prod_lines = (tmp_path / "estate" / "envs" / "prod.yaml").read_text().splitlines()
    assert str(diagnostic.location).startswith("envs/prod.yaml:") or "prod.yaml:" in str(diagnostic.location)
    assert prod_lines[diagnostic.location.line - 1].strip() == "- workspace/project-chrun"
    assert "'workspace/project-chrun' names no construct of prod" in diagnostic.render()


def test_a_retired_stack_loses_all_protection_and_the_other_stack_keeps_it(tmp_path):
    environments = [e for e in _with_retire(tmp_path, ["platform"]) if e.config.name == "prod"]
    out = tmp_path / "out"
    build_app(environments, str(out)).synth()
    assert _lifecycles(out, "prod-platform", "azurerm_storage_account") == [None]
    assert _lifecycles(out, "prod-workspace", "databricks_secret_scope") == [{"prevent_destroy": True}]


def test_a_retire_entry_outside_production_is_an_error(tmp_path):
    project = estate_copy(tmp_path / "estate")
    qa = project / "envs" / "qa.yaml"
    qa.write_text(qa.read_text() + "retire: [platform]\n")
    environments = [e for e in load_environments(project / "envs") if e.config.name == "qa"]
    with pytest.raises(ConfigError) as caught:
        build_app(environments, str(tmp_path / "out"))
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.render().startswith(f"envs/qa.yaml:{len(qa.read_text().splitlines())}:")
    assert "only production protects stateful resources" in diagnostic.render()
