"""The access matrix document, rendered from the reference fixture estate (whether the estate's
own docs/access-matrix.md is current is an estate check: tests/estate/)."""
from mlops_iac.app.docs import render_access_doc
from tests.conftest import REFERENCE, estate_copy


def test_access_matrix_doc_has_a_column_per_environment_and_prod_is_view_only_for_humans():
    doc = render_access_doc(REFERENCE / "envs")
    assert "| asset kind | role | prodfix | qa | prod |" in doc
    assert "| job | data_scientists | CAN_MANAGE_RUN | CAN_MANAGE_RUN | CAN_VIEW |" in doc
    assert "| job | deployer | IS_OWNER | IS_OWNER | IS_OWNER |" in doc


def test_access_matrix_doc_says_so_when_there_is_no_access_file(tmp_path):
    envs = estate_copy(tmp_path) / "envs"
    (envs / "access.yaml").unlink()
    doc = render_access_doc(envs)
    assert doc.rstrip().endswith("No envs/access.yaml: nobody but admins has object permissions.")
