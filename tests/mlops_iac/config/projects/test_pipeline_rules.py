"""One failing DLT pipeline spec per rule: the message and the line."""
from tests.mlops_iac.config.projects.helpers import errors

DLT = """\
name: monitoring
libraries: [{notebook: {path: '{REPO_PATH}/dlt/monitoring'}}]
"""


def spec_errors(tmp_path, extra: str) -> list[str]:
    return errors(tmp_path, {"delta_live_tables/monitoring.yml": DLT + extra})


def test_fails_when_catalog_and_storage_are_set_together(tmp_path):
    assert spec_errors(tmp_path, "catalog: main\nstorage: /mnt/x\n") == [
        "projects/demo/delta_live_tables/monitoring.yml:4:1: storage: catalog and storage are set together\n"
        "  (expected one of them (a Unity Catalog pipeline keeps its data in the catalog))"]


def test_fails_when_schema_and_target_are_set_together(tmp_path):
    assert spec_errors(tmp_path, "catalog: main\nschema: a\ntarget: b\n")[0].startswith(
        "projects/demo/delta_live_tables/monitoring.yml:5:1: target: schema and target are set together")


def test_fails_when_a_serverless_pipeline_has_no_catalog(tmp_path):
    assert spec_errors(tmp_path, "serverless: true\n") == [
        "projects/demo/delta_live_tables/monitoring.yml:3:13: serverless: a serverless pipeline needs a catalog\n"
        "  (expected catalog: <Unity Catalog catalog>)"]


def test_fails_when_channel_or_edition_is_unknown(tmp_path):
    assert spec_errors(tmp_path, "channel: PREVIW\nedition: advanced\n") == [
        "projects/demo/delta_live_tables/monitoring.yml:3:10: channel: 'PREVIW' is not a pipeline channel\n"
        "  (expected one of CURRENT, PREVIEW)\n  did you mean 'PREVIEW'?",
        "projects/demo/delta_live_tables/monitoring.yml:4:10: edition: 'advanced' is not a pipeline edition\n"
        "  (expected one of CORE, PRO, ADVANCED)\n  did you mean 'ADVANCED'?"]


def test_fails_when_a_pipeline_has_more_than_25_tags(tmp_path):
    tags = "tags: {" + ", ".join(f"t{i}: v" for i in range(26)) + "}\n"
    assert spec_errors(tmp_path, tags) == [
        "projects/demo/delta_live_tables/monitoring.yml:3:7: tags: 26 tags\n  (expected at most 25)"]


def test_fails_when_a_library_has_no_single_source(tmp_path):
    found = errors(tmp_path, {"delta_live_tables/monitoring.yml": "name: m\nlibraries: [{notebook: {path: /a}, file: {path: /b}}]\n"})
    assert found == ["projects/demo/delta_live_tables/monitoring.yml:2:13: libraries[0]: library sets notebook, file\n"
                     "  (expected exactly one of notebook, file, glob, jar, maven, whl)"]
