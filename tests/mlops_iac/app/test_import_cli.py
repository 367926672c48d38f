"""The import commands on the command line: a report on stdout, exit 0; a bad input: one line, exit 1."""
from tests.conftest import REPO
from mlops_iac.app.cli import main

BUNDLE = REPO / "tests" / "fixtures" / "bundles" / "run_job_tasks"


def test_import_bundle_prints_the_report(tmp_path, capsys):
    code = main(["import-bundle", str(BUNDLE), "--project", "chain", "--projects", str(tmp_path),
                 "--target-map", "dev=prodfix,prod=prod"])
    out = capsys.readouterr().out
    assert code == 0 and (tmp_path / "chain" / "jobs" / "primary.yml").exists()
    assert "databricks.yml:9:5: permissions[0]: permission for every object of the bundle" in out
    assert out.rstrip().endswith("fields translated, 6 reported")


def test_import_job_refuses_a_file_that_is_not_json(tmp_path, capsys):
    bad = tmp_path / "job.json"
    bad.write_text("{not json")
    assert main(["import-job", str(bad), "--project", "demo", "--projects", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith("error: job.json: not a JSON job export")
