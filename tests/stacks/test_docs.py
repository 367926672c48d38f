from stacks.docs import render_access_doc
from tests.conftest import REPO


def test_committed_access_matrix_doc_is_generated_from_access_yaml():
    committed = (REPO / "docs" / "access-matrix.md").read_text()
    assert committed == render_access_doc(REPO / "envs"), "docs/access-matrix.md is stale: run `make docs`"


def test_access_matrix_doc_has_a_column_per_environment_and_prod_is_view_only_for_humans():
    doc = render_access_doc(REPO / "envs")
    assert "| asset kind | role | prodfix | qa | prod |" in doc
    assert "| job | data_scientists | CAN_MANAGE_RUN | CAN_MANAGE_RUN | CAN_VIEW |" in doc
    assert "| job | deployer | IS_OWNER | IS_OWNER | IS_OWNER |" in doc
