import json
import textwrap

import pytest

from mlops_iac.config import ConfigError, Diagnostic, load_environments
from mlops_iac.config.located import Location
from mlops_iac.config.schema import render_schema
from tests.conftest import MINIMAL_DEFAULTS, MINIMAL_ENV, REFERENCE, config_errors, write_envs
from tests.mlops_iac.config.projects.helpers import JOB, write_project

ACCOUNT_EXPECTED = ("  (expected a string - ADLS Gen2 storage account for the lakehouse (hierarchical namespace, "
                    "TLS 1.2, no public blob access). Globally unique in Azure.)")


def test_reference_environments_load_in_promotion_order():
    envs = load_environments(REFERENCE / "envs")
    assert [(e.config.name, e.config.stage) for e in envs] == [
        ("prodfix", "development"), ("qa", "staging"), ("prod", "production")]
    prodfix, qa, prod = (e.config for e in envs)
    assert prodfix.greenfield and prod.greenfield and not qa.greenfield
    assert prod.workspace.public_network_access is False and prod.workspace.vnet is not None
    assert prod.storage.containers == ("bronze", "silver", "gold")  # from defaults.yaml
    assert prodfix.storage.replication == "LRS" and prod.storage.replication == "GZRS"


def test_all_errors_of_a_run_are_reported_together_across_files(tmp_path):
    envs = write_envs(tmp_path, {
        "defaults.yaml": MINIMAL_DEFAULTS,
        "dev.yaml": MINIMAL_ENV + "storage: {account: BAD}\n",
        "prod.yaml": MINIMAL_ENV.replace("development", "prod"),
    })
    errors = config_errors(envs)
    assert [e.split(":")[0] for e in errors] == ["envs/dev.yaml", "envs/prod.yaml"]
    assert "did you mean 'production'?" in errors[1]


def test_fails_when_an_environment_file_name_is_not_a_valid_name(tmp_path):
    envs = write_envs(tmp_path, {"defaults.yaml": MINIMAL_DEFAULTS, "Prod_EU.yaml": MINIMAL_ENV})
    assert config_errors(envs) == ["envs/Prod_EU.yaml:1:1: (file name): 'Prod_EU' is not a valid environment "
                                   "name\n  (expected 2-16 lowercase letters and digits, starting with a letter)"]


def test_fails_when_there_are_no_environment_files(tmp_path):
    envs = write_envs(tmp_path, {"defaults.yaml": MINIMAL_DEFAULTS})
    assert config_errors(envs)[0].startswith("envs:1:1: (directory): no environment files")


def test_fails_when_the_environment_directory_is_missing(tmp_path):
    assert config_errors(tmp_path / "nowhere")[0].startswith("nowhere:1:1: (directory): environment "
                                                             "directory not found")


def test_fails_when_a_file_is_not_a_mapping(tmp_path):
    envs = write_envs(tmp_path, {"defaults.yaml": MINIMAL_DEFAULTS, "dev.yaml": "- just\n- a list\n"})
    assert config_errors(envs) == ["envs/dev.yaml:1:1: (top level): expected a mapping of settings"]


def test_schema_knows_every_key_the_reference_files_use():
    import yaml

    schema = json.loads(render_schema())

    def check(value, node, path):
        if isinstance(value, dict) and "properties" in node:
            for key, child in value.items():
                assert key in node["properties"], f"{path}.{key} missing from schema"
                check(child, _object_of(node["properties"][key]), f"{path}.{key}")

    for path in sorted((REFERENCE / "envs").glob("*.yaml")):
        if path.name == "access.yaml":
            continue
        check(yaml.safe_load(path.read_text()), schema, path.name)
    sku = _object_of(schema["properties"]["workspace"])["properties"]["sku"]
    assert sku["anyOf"] == [{"enum": ["premium", "standard", "trial"]}, {"type": "null"}]  # null removes a default
    assert schema["additionalProperties"] is False


def _object_of(node: dict) -> dict:
    for option in node.get("anyOf", []):
        if option.get("type") == "object":
            return option
    return node


def test_independent_errors_of_environments_access_matrix_and_projects_come_in_one_run(tmp_path):
    envs = write_project(tmp_path, {"jobs/train.yml": JOB + "max_concurrent_runz: 1\n"})
    dev = envs / "dev.yaml"
    dev.write_text(dev.read_text().replace("display_name: dev\n", ""))
    (envs / "qa.yaml").write_text((envs / "qa.yaml").read_text() + textwrap.dedent("""\
        clusters:
          explore: {policy: jbos, spark_version: 15.4.x-cpu-ml-scala2.12, node_type_id: Standard_DS3_v2,
                    num_workers: 1}
        """))
    (envs / "access.yaml").write_text(textwrap.dedent("""\
        roles:
          deployer: {deployer: true}
        matrix:
          deployer: {job: {dev: IS_OWNER, default: IS_OWNER}}
          ghost: {job: CAN_VIEW}
        """))
    with pytest.raises(ConfigError) as caught:
        load_environments(envs)
    first_lines = [d.render().split("\n")[0] for d in caught.value.diagnostics]
    assert first_lines[:3] == [
        # dev failed to bind, yet the matrix key 'dev' is no "unknown environment"
        "envs/access.yaml:5:10: matrix.ghost: role 'ghost' is not defined under roles",
        "envs/dev.yaml:1:1: display_name: missing required key 'display_name': not set in envs/dev.yaml "
        "nor in envs/defaults.yaml",
        "envs/qa.yaml:9:21: clusters.explore.policy: cluster policy 'jbos' is not declared",
    ]
    # deployed to prod, the one environment valid so far; reported once
    assert first_lines[3:] == [first_lines[3]]
    assert first_lines[3].startswith("projects/demo/jobs/train.yml:6:1: max_concurrent_runz: unknown field")
    assert caught.value.render().endswith("\n4 errors; nothing written")  # one ConfigError for the run


def test_a_key_missing_after_the_merge_is_reported_in_the_environments_own_file(tmp_path):
    envs = write_envs(tmp_path, {
        "defaults.yaml": MINIMAL_DEFAULTS + "storage:\n  replication: ZRS\n",
        "dev.yaml": MINIMAL_ENV,
        "dev2.yaml": "# a copy of dev\n" + MINIMAL_ENV.replace("-dev", "-dev2"),
    })
    assert config_errors(envs) == [
        "envs/dev.yaml:1:1: storage.account: missing required key 'account': not set in envs/dev.yaml nor in "
        "envs/defaults.yaml (storage comes from envs/defaults.yaml:6:3)\n" + ACCOUNT_EXPECTED,
        "envs/dev2.yaml:2:1: storage.account: missing required key 'account': not set in envs/dev2.yaml nor in "
        "envs/defaults.yaml (storage comes from envs/defaults.yaml:6:3)\n" + ACCOUNT_EXPECTED,
    ]


def test_a_key_missing_under_a_mapping_of_the_environment_file_is_reported_there(tmp_path):
    envs = write_envs(tmp_path, {"defaults.yaml": MINIMAL_DEFAULTS,
                                 "dev.yaml": MINIMAL_ENV + "storage:\n  replication: LRS\n"})
    assert config_errors(envs) == [
        "envs/dev.yaml:9:3: storage.account: missing required key 'account': not set in envs/dev.yaml nor in "
        "envs/defaults.yaml\n" + ACCOUNT_EXPECTED]


@pytest.mark.parametrize("default, first_line", [
    ("workspace: {sku: premum}\n",  # found while binding
     "envs/defaults.yaml:5:18: workspace.sku: string 'premum' is not allowed (in environment {env})"),
    ("users:\n  alice: {}\n",  # found by a rule
     "envs/defaults.yaml:6:3: users.alice: 'alice' is not a user name (in environment {env})"),
])
def test_a_shared_default_that_fails_is_reported_once_per_environment_naming_it(tmp_path, default, first_line):
    envs = write_envs(tmp_path, {
        "defaults.yaml": MINIMAL_DEFAULTS + default,
        "dev.yaml": MINIMAL_ENV,
        "prod.yaml": MINIMAL_ENV.replace("development", "production").replace("dev", "prod"),
    })
    assert [e.split("\n")[0] for e in config_errors(envs)] == [first_line.format(env=env) for env in ("dev", "prod")]


def test_a_spec_problem_of_every_environment_comes_once_and_one_of_some_names_each(tmp_path):
    envs = write_project(tmp_path, {"jobs/train.yml": JOB + "run_as: {user_name: alice@contoso.com}\n"
                                                             "max_concurrent_runz: 1\n"})
    first_lines = [line.split("\n")[0] for line in config_errors(envs)]
    assert first_lines == [
        "projects/demo/jobs/train.yml:6:9: run_as: production jobs and pipelines run as the deployer "
        "(in environment prod)",
        first_lines[1]]  # the spec's own problem: the same in dev, qa and prod, reported once
    assert first_lines[1].startswith("projects/demo/jobs/train.yml:7:1: max_concurrent_runz: unknown field")
    assert "environment" not in first_lines[1]


def test_diagnostics_are_sorted_by_file_line_and_column_whatever_the_order_found():
    def at(file, line, column, environment=None):
        return Diagnostic(Location(file, line, column), "key", "problem", environment=environment)

    ordered = [at("envs/a.yaml", 2, 1), at("envs/a.yaml", 10, 1), at("envs/a.yaml", 10, 7),
               at("envs/defaults.yaml", 3, 3, "dev"), at("envs/defaults.yaml", 3, 3, "prod"),
               at("projects/x/project.yaml", 1, 1)]
    for shuffled in (ordered[::-1], ordered[3:] + ordered[:3], ordered[1::2] + ordered[::2]):
        assert ConfigError(shuffled).diagnostics == ordered
    assert ConfigError(ordered + ordered).diagnostics == ordered  # only identical ones collapse
