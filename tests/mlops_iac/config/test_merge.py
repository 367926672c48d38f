from mlops_iac.config.located import LMap, Location, load_yaml, plain
from mlops_iac.config.merge import merge


def parse(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return load_yaml(path, name, [])


def test_environment_overrides_defaults_key_by_key_and_keeps_locations(tmp_path):
    base = parse(tmp_path, "defaults.yaml", "azure:\n  location: eastus2\n  tags: {a: '1'}\nlist: [1, 2]\n")
    env = parse(tmp_path, "prod.yaml", "azure:\n  tags: {b: '2'}\nlist: [3]\n")
    merged = merge(base, env)
    assert plain(merged) == {"azure": {"location": "eastus2", "tags": {"a": "1", "b": "2"}}, "list": [3]}
    azure = merged.entries["azure"].value
    assert azure.entries["location"].value.loc == Location("defaults.yaml", 2, 13)
    assert azure.entries["tags"].value.entries["b"].value.loc.file == "prod.yaml"
    assert merged.entries["list"].value.loc.file == "prod.yaml"


def test_null_in_the_environment_removes_a_default(tmp_path):
    base = parse(tmp_path, "defaults.yaml", "policies:\n  personal: {family: personal-vm}\n  jobs: {}\n")
    env = parse(tmp_path, "prod.yaml", "policies:\n  personal: null\nextra: null\n")
    assert plain(merge(base, env)) == {"policies": {"jobs": {}}}


def test_missing_defaults_leave_the_environment_as_written(tmp_path):
    env = parse(tmp_path, "prod.yaml", "a: 1\n")
    assert plain(merge(None, env)) == {"a": 1}
    assert isinstance(merge(env, None), LMap)
