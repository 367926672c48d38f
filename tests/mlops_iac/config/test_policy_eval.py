"""The policy evaluator on plain values: paths, defaults, wildcards, the shipped families."""
import pytest

from mlops_iac.config.policy_eval import definition_problems, effective_definition, evaluate, flatten
from mlops_iac.provider_facts.policies import family_definition, known_families


def test_flatten_names_attributes_as_policies_do():
    flat = flatten({"autoscale": {"max_workers": 4}, "spark_conf": {"spark.databricks.cluster.profile": "x"},
                    "init_scripts": [{"workspace": {"destination": "/a.sh"}}], "custom_tags": {"team": "ml"}})
    assert flat == {"autoscale.max_workers": 4, "spark_conf.spark.databricks.cluster.profile": "x",
                    "init_scripts.0.workspace.destination": "/a.sh", "custom_tags.team": "ml"}


def test_defaults_fill_only_with_apply_policy_default_values():
    rules = {"node_type_id": {"type": "allowlist", "values": ["A"], "defaultValue": "A"}}
    assert evaluate(rules, {}, "job", True) == []
    [violation] = evaluate(rules, {}, "job", False)
    assert violation.message == ("node_type_id is not set and the policy's defaultValue applies only with "
                                 "apply_policy_default_values: true")


def test_optional_and_alternative_attributes_may_be_left_out():
    rules = {"num_workers": {"type": "range", "maxValue": 4}, "driver_node_type_id": {"type": "regex", "pattern": "x",
                                                                                    "isOptional": True}}
    assert evaluate(rules, {"autoscale": {"min_workers": 1, "max_workers": 2}}, "job", False) == []


def test_attributes_a_cluster_type_does_not_take_are_not_required():
    rules = {"autotermination_minutes": {"type": "range", "maxValue": 120},
             "spark_version": {"type": "regex", "pattern": "15.*"}}
    assert evaluate(rules, {}, "dlt", False) == []
    assert [v.attribute for v in evaluate(rules, {}, "job", False)] == ["spark_version"]
    assert [v.attribute for v in evaluate(rules, {}, "all-purpose", False)] == ["autotermination_minutes",
                                                                                 "spark_version"]


def test_wildcard_paths_check_every_item():
    rules = {"init_scripts.*.workspace.destination": {"type": "regex", "pattern": "/Shared/.*"}}
    cluster = {"init_scripts": [{"workspace": {"destination": "/Shared/a.sh"}}, {"workspace": {"destination": "/Users/b.sh"}}]}
    [violation] = evaluate(rules, cluster, "job", True)
    assert (violation.attribute, violation.message) == ("init_scripts.1.workspace.destination",
                                                        "'/Users/b.sh' does not match the pattern")


def test_fixed_values_compare_numbers_and_text_as_databricks_does():
    rules = {"autotermination_minutes": {"type": "fixed", "value": 30}}
    assert evaluate(rules, {"autotermination_minutes": 30.0}, "all-purpose", True) == []


def test_family_overrides_replace_the_family_rules():
    family = {"num_workers": {"type": "fixed", "value": 0}, "node_type_id": {"type": "unlimited"}}
    merged = effective_definition(None, family, {"node_type_id": {"type": "allowlist", "values": ["A"]}})
    assert merged["node_type_id"]["type"] == "allowlist" and merged["num_workers"]["value"] == 0


@pytest.mark.parametrize("family", known_families())
def test_shipped_families_are_well_formed(family):
    assert known_families() == ("job-cluster", "personal-vm")
    assert definition_problems(family_definition(family)) == []
