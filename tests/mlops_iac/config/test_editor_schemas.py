"""The editor schemas: generated and current, and every shipped YAML (the estate and the fixture
estates that load) valid against its schema with a JSON Schema validator, as an editor would check
it: an editor must never flag what the loader accepts."""
import json
from pathlib import Path

import jsonschema
import pytest

from mlops_iac.config import ConfigError, load_environments
from mlops_iac.config.located import load_yaml, plain
from mlops_iac.config.schema import PROJECT_SCHEMAS, SCHEMAS, render_project_schema, render_schema
from tests.conftest import REPO

ENV_SCHEMAS = {name: json.loads(render_schema(name)) for name in SCHEMAS}
SPEC_SCHEMAS = {name: json.loads(render_project_schema(name)) for name in PROJECT_SCHEMAS}


def _loads(estate: Path) -> bool:
    """Fixture estates may hold failing cases on purpose: the schema is held to what the loader accepts."""
    try:
        load_environments(estate / "envs")
    except ConfigError:
        return False
    return True


ESTATES = [REPO] + sorted(p.parent for p in (REPO / "tests" / "fixtures").rglob("envs")
                          if p.is_dir() and (p / "defaults.yaml").exists() and _loads(p.parent))


def _load(path: Path):
    errors = []
    node = load_yaml(path, str(path), errors)
    assert not errors, errors
    return plain(node)


def _schema_of(path: Path, estate: Path) -> dict | None:
    rel = path.relative_to(estate).parts
    if rel[0] == "envs" and len(rel) == 2:
        return ENV_SCHEMAS["access.schema.json" if rel[1] == "access.yaml" else "schema.json"]
    if rel[0] == "projects" and len(rel) == 3 and rel[2] == "project.yaml":
        return SPEC_SCHEMAS["project.schema.json"]
    if rel[0] == "projects" and len(rel) == 4:
        return SPEC_SCHEMAS["pipeline.schema.json" if rel[2] == "delta_live_tables" else "job.schema.json"]
    return None


def _shipped() -> list[tuple[Path, Path]]:
    found = []
    for estate in ESTATES:
        for path in sorted(estate.glob("envs/*.yaml")) + sorted(estate.glob("projects/**/*.y*ml")):
            found.append((estate, path))
    return sorted(set(found))


@pytest.mark.parametrize("estate, path", _shipped(), ids=lambda v: str(v.relative_to(REPO)) if v != REPO else ".")
def test_every_shipped_yaml_is_valid_against_its_schema(estate, path):
    schema = _schema_of(path, estate)
    assert schema is not None, f"{path} has no schema"
    jsonschema.Draft202012Validator(schema).validate(_load(path))


@pytest.mark.parametrize("name", sorted(PROJECT_SCHEMAS))
def test_committed_project_schemas_are_generated(name):
    assert (REPO / "projects" / name).read_text() == render_project_schema(name), \
        f"projects/{name} is stale: run `make schema`"


@pytest.mark.parametrize("name", sorted(SCHEMAS) + sorted(PROJECT_SCHEMAS))
def test_the_schemas_are_valid_json_schemas(name):
    schema = ENV_SCHEMAS.get(name) or SPEC_SCHEMAS[name]
    jsonschema.Draft202012Validator.check_schema(schema)


def _errors(schema: dict, value) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(value)]


def test_an_environment_may_remove_a_default_with_null():
    schema = ENV_SCHEMAS["schema.json"]
    assert _errors(schema, {"cluster_policies": {"personal": None}, "workspace": {"root_folder": None}}) == []
    assert _errors(schema, {"workspace": {"sku": "gold"}})


def test_specs_are_checked_with_api_names_and_placeholders():
    job = SPEC_SCHEMAS["job.schema.json"]
    good = {"name": "t", "max_concurrent_runs": "{runs}", "deploy": {"environments": ["production"]},
            "tasks": [{"task_key": "t", "run_job_task": {"job_id": "{job:train}"},
                       "new_cluster": {"num_workers": 2, "spark_conf": {"a": "b"}}}]}
    assert _errors(job, good) == []
    assert any("'task' was unexpected" in e for e in _errors(job, {"task": [{"task_key": "t"}]}))
    assert any("'task_key' is a required property" in e for e in _errors(job, {"tasks": [{}]}))
    assert _errors(job, {"max_concurrent_runs": "five"})
    assert any("'notebook_task' was unexpected" in e for e in _errors(job, {"notebook_task": {"notebook_path": "/x"}}))
    pipeline = SPEC_SCHEMAS["pipeline.schema.json"]
    assert _errors(pipeline, {"libraries": [{"glob": {"include": "../src/**"}}], "photon": "{photon}"}) == []
    assert _errors(pipeline, {"libraries": [{"glob": {"includes": "x"}}]})


def test_project_schema_knows_the_project_settings():
    schema = SPEC_SCHEMAS["project.schema.json"]
    assert _errors(schema, {"paths": {"spec_root": "resources"}, "variables": {"x": {"default": "y"}}}) == []
    assert any("'folow' was unexpected" in e for e in _errors(schema, {"folow": {}}))


def test_vscode_maps_every_schema():
    mapped = json.loads((REPO / ".vscode" / "settings.json").read_text())["yaml.schemas"]
    assert sorted(mapped) == sorted([f"./envs/{n}" for n in SCHEMAS] + [f"./projects/{n}" for n in PROJECT_SCHEMAS])
