"""Policy definitions are validated (inline at the YAML line, definition files at the JSON line), and
interactive clusters are evaluated against their policy."""
from tests.conftest import MINIMAL_DEFAULTS, MINIMAL_ENV, config_errors, write_envs


def errors_for(tmp_path, extra: str, files: dict | None = None) -> list[str]:
    for name, text in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return config_errors(write_envs(tmp_path, {"defaults.yaml": MINIMAL_DEFAULTS, "dev.yaml": MINIMAL_ENV + extra}))


def inline(rule: str, attribute: str = "num_workers") -> str:
    return f"cluster_policies:\n  p:\n    definition:\n      {attribute}: {rule}\n"


def test_fails_on_an_unknown_rule_type_with_a_suggestion(tmp_path):
    assert errors_for(tmp_path, inline("{type: allowList, values: [1]}")) == [
        "envs/dev.yaml:11:20: cluster_policies.p.definition.num_workers.type: policy 'p': unknown rule type "
        "'allowList'\n  (expected one of fixed, forbidden, allowlist, blocklist, regex, range, unlimited)\n"
        "  did you mean 'allowlist'?"]


def test_fails_when_a_fixed_rule_has_no_value(tmp_path):
    assert errors_for(tmp_path, inline("{type: fixed}")) == [
        "envs/dev.yaml:11:7: cluster_policies.p.definition.num_workers: policy 'p': a fixed rule needs 'value'"]


def test_fails_when_a_range_has_neither_bound(tmp_path):
    assert errors_for(tmp_path, inline("{type: range, defaultValue: 2}")) == [
        "envs/dev.yaml:11:7: cluster_policies.p.definition.num_workers: policy 'p': a range rule needs minValue "
        "or maxValue"]


def test_fails_when_a_range_limits_text(tmp_path):
    found = errors_for(tmp_path, inline("{type: range, maxValue: 3}", "spark_version"))
    assert found == ["envs/dev.yaml:11:22: cluster_policies.p.definition.spark_version.type: policy 'p': a range "
                     "rule on spark_version, which is not a number\n  (expected allowlist, regex or fixed for text)"]


def test_fails_when_a_value_has_the_wrong_type(tmp_path):
    assert errors_for(tmp_path, inline("{type: fixed, value: two}")) == [
        "envs/dev.yaml:11:20: cluster_policies.p.definition.num_workers.value: policy 'p': value 'two' does not "
        "fit num_workers\n  (expected a number)"]


def test_fails_on_nan(tmp_path):
    assert errors_for(tmp_path, inline("{type: range, maxValue: .nan}")) == [
        "envs/dev.yaml:11:7: cluster_policies.p.definition.num_workers: policy 'p': NaN or Infinity in a rule\n"
        "  (expected finite JSON numbers)"]


def test_fails_on_a_field_the_type_does_not_take(tmp_path):
    found = errors_for(tmp_path, inline("{type: fixed, value: 1, defaultValue: 1}"))
    assert found == ["envs/dev.yaml:11:20: cluster_policies.p.definition.num_workers.defaultValue: policy 'p': "
                     "'defaultValue' does not belong to a fixed rule\n  (expected one of type, value, hidden)"]


def test_fails_on_an_unknown_attribute_with_a_suggestion(tmp_path):
    found = errors_for(tmp_path, inline("{type: fixed, value: 1}", "num_worker"))
    assert found[0].startswith("envs/dev.yaml:11:7: cluster_policies.p.definition.num_worker: policy 'p': "
                               "'num_worker' is not a cluster attribute a policy can limit")
    assert found[0].endswith("did you mean 'num_workers'?")


def test_fails_on_an_unknown_cluster_type(tmp_path):
    found = errors_for(tmp_path, inline("{type: fixed, value: jobs}", "cluster_type"))
    assert found == ["envs/dev.yaml:11:21: cluster_policies.p.definition.cluster_type.value: policy 'p': 'jobs' is "
                     "not a cluster type\n  (expected one of all-purpose, job, dlt)\n  did you mean 'job'?"]


def test_fails_when_the_default_breaks_the_rule(tmp_path):
    found = errors_for(tmp_path, inline("{type: range, maxValue: 4, defaultValue: 8}"))
    assert found == ["envs/dev.yaml:11:20: cluster_policies.p.definition.num_workers.defaultValue: policy 'p': "
                     "defaultValue breaks its own rule: 8 is above the maximum\n  (expected at most 4)"]


def test_fails_in_a_definition_file_at_the_json_line(tmp_path):
    policy = '{\n  "node_type_id": {"type": "allowlist", "values": []},\n  "num_workers": {"type": "range", "maxValue": NaN}\n}\n'
    found = errors_for(tmp_path, "cluster_policies:\n  p: {definition_file: policies/p.json}\n",
                       {"policies/p.json": policy})
    assert found == [
        "policies/p.json:2:1: node_type_id.values: policy 'p': values must be a non-empty list (in environment dev)\n"
        "  (expected [value, ...])",
        "policies/p.json:3:1: num_workers: policy 'p': NaN or Infinity in a rule (in environment dev)\n"
        "  (expected finite JSON numbers)"]


def test_fails_in_family_overrides(tmp_path):
    found = errors_for(tmp_path, "cluster_policies:\n  p:\n    family: personal-vm\n    overrides:\n"
                                 "      autotermination_minutes: {type: range}\n")
    assert found == ["envs/dev.yaml:12:7: cluster_policies.p.overrides.autotermination_minutes: policy 'p': a range "
                     "rule needs minValue or maxValue"]


CLUSTER = """\
cluster_policies:
  shared:
    definition:
      autotermination_minutes: {type: range, minValue: 10, maxValue: 120}
      autoscale.max_workers: {type: range, maxValue: 8}
      data_security_mode: {type: fixed, value: USER_ISOLATION}
      cluster_type: {type: fixed, value: all-purpose}
clusters:
  explore:
    policy: shared
    spark_version: 15.4.x-cpu-ml-scala2.12
    node_type_id: Standard_DS3_v2
    autoscale: {min_workers: 1, max_workers: 64}
    autotermination_minutes: 500
    data_security_mode: SINGLE_USER
    single_user_name: ann@contoso.com
"""


def test_fails_when_an_interactive_cluster_breaks_its_policy(tmp_path):
    assert errors_for(tmp_path, CLUSTER) == [
        "envs/dev.yaml:20:46: clusters.explore.autoscale.max_workers: breaks cluster policy 'shared': 64 is "
        "above the maximum (range rule on autoscale.max_workers)\n  (expected at most 8)",
        "envs/dev.yaml:21:30: clusters.explore.autotermination_minutes: breaks cluster policy 'shared': 500 "
        "is above the maximum (range rule on autotermination_minutes)\n  (expected 10 to 120)",
        "envs/dev.yaml:22:25: clusters.explore.data_security_mode: breaks cluster policy 'shared': "
        "'SINGLE_USER' differs from the fixed value (fixed rule on data_security_mode)\n"
        "  (expected fixed: USER_ISOLATION)"]


def test_fails_when_an_interactive_cluster_breaks_a_family_policy(tmp_path):
    found = errors_for(tmp_path, "cluster_policies:\n  personal: {family: personal-vm}\n"
                                 "clusters:\n  big:\n    policy: personal\n    spark_version: 15.4.x-cpu-ml-scala2.12\n"
                                 "    node_type_id: Standard_DS3_v2\n    num_workers: 4\n"
                                 "    data_security_mode: SINGLE_USER\n    single_user_name: ann@contoso.com\n")
    assert found == ["envs/dev.yaml:15:18: clusters.big.num_workers: breaks cluster policy 'personal': 4 "
                     "differs from the fixed value (fixed rule on num_workers)\n  (expected fixed: 0)"]
