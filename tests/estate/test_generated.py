"""Generated files of the estate are current: the JSON Schemas in envs/ and docs/access-matrix.md."""
import pytest

from mlops_iac.config.schema import SCHEMAS, render_schema
from mlops_iac.app.docs import ACCESS_DOC, render_access_doc
from tests.conftest import REPO
from tests.estate.conftest import ESTATE_ENVS


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schemas_are_generated_from_the_model(name):
    committed = (ESTATE_ENVS / name).read_text()
    assert committed == render_schema(name), f"envs/{name} is stale: run `make schema`"


def test_access_matrix_doc_is_generated_from_the_estate():
    committed = (REPO / ACCESS_DOC).read_text()
    assert committed == render_access_doc(ESTATE_ENVS), f"{ACCESS_DOC} is stale: run `make docs`"
