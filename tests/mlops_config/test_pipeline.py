import json

from mlops_config import load_environments
from mlops_config.schema import render_schema
from tests.conftest import MINIMAL_DEFAULTS, MINIMAL_ENV, REFERENCE, config_errors, write_envs


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
    assert schema["properties"]["workspace"]["properties"]["sku"]["enum"] == ["premium", "standard", "trial"]
    assert schema["additionalProperties"] is False


def _object_of(node: dict) -> dict:
    for option in node.get("anyOf", []):
        if option.get("type") == "object":
            return option
    return node
