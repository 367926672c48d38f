"""`mlops-iac stacks`: the estate's stacks and promotion order, from config only."""
import json
import subprocess
import sys

from mlops_iac.app.cli import main
from tests.conftest import REPO
from tests.mlops_iac.app.ci_estate import DEV, FILES, write_estate


def stacks_json(capsys, envs) -> dict:
    assert main(["stacks", "--json", "--envs", str(envs)]) == 0
    return json.loads(capsys.readouterr().out)


def test_lists_environments_in_promotion_order_with_their_stacks(tmp_path, capsys):
    data = stacks_json(capsys, write_estate(tmp_path))
    assert data["promotion_order"] == ["development", "staging", "production"]
    assert data["stages"] == {"development": ["dev"], "staging": ["stg"], "production": ["prd"]}
    assert data["stacks"] == ["dev-platform", "dev-workspace", "stg-platform", "stg-workspace",
                              "prd-platform", "prd-workspace"]
    by_id = {s["id"]: s for e in data["environments"] for s in e["stacks"]}
    # A created workspace is read from the platform stack's state; an adopted one is not.
    assert by_id["dev-workspace"]["depends_on"] == ["dev-platform"]
    assert by_id["stg-workspace"]["depends_on"] == []
    assert by_id["prd-workspace"]["depends_on"] == ["prd-platform"]
    assert {s["kind"] for s in by_id.values()} == {"platform", "workspace"}
    assert by_id["dev-platform"]["backend"] == "local" and by_id["prd-platform"]["backend"] == "azurerm"


def test_a_new_environment_appears_without_any_other_change(tmp_path, capsys):
    files = dict(FILES, **{"dev2.yaml": DEV.replace("rg-dev", "rg-dev2").replace("dbw-dev", "dbw-dev2")})
    data = stacks_json(capsys, write_estate(tmp_path, files))
    assert data["stages"]["development"] == ["dev", "dev2"]
    assert data["stacks"][2:4] == ["dev2-platform", "dev2-workspace"]


def test_an_environment_without_platform_resources_has_only_a_workspace_stack(tmp_path, capsys):
    stg = FILES["stg.yaml"].replace("storage:\n  account: stciestatestg\n", "").replace(
        "resource_group: rg-stg\n", "resource_group: rg-stg\n  create_resource_group: false\n")
    data = stacks_json(capsys, write_estate(tmp_path, dict(FILES, **{"stg.yaml": stg})))
    [stg_env] = [e for e in data["environments"] if e["name"] == "stg"]
    assert [s["id"] for s in stg_env["stacks"]] == ["stg-workspace"]


def test_text_listing_names_each_dependency(tmp_path, capsys):
    assert main(["stacks", "--envs", str(write_estate(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "dev (development, Dev)" in out and "dev-workspace" in out and "after dev-platform" in out


def test_bad_config_is_a_located_error_not_a_listing(tmp_path, capsys):
    envs = write_estate(tmp_path, dict(FILES, **{"dev.yaml": DEV.replace("stage: development", "stage: develop")}))
    assert main(["stacks", "--json", "--envs", str(envs)]) == 1
    err = capsys.readouterr().err
    assert "envs/dev.yaml:1:8: stage:" in err and "development" in err


def test_listing_loads_no_cdktf(tmp_path):
    """CI builds its matrix from this in a second: the cdktf/jsii runtime must not load."""
    envs = write_estate(tmp_path)
    code = ("import sys, contextlib, io\nfrom mlops_iac.app.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()): rc = main(['stacks', '--json', '--envs', {str(envs)!r}])\n"
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('cdktf', 'jsii', 'constructs'))\n"
            "print(rc, loaded)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "0 []", result.stdout + result.stderr


def test_listing_matches_what_the_app_synthesizes(tmp_path, capsys):
    """The listing is computed without cdktf; the app's manifest must agree on ids and order,
    and every dependency listed is a cross-stack read in the synthesized JSON."""
    from mlops_iac.app.cli import synthesize
    from mlops_iac.app.summary import read_stacks

    envs = write_estate(tmp_path)
    data = stacks_json(capsys, envs)
    out = tmp_path / "cdktf.out"
    synthesize(envs, out)
    synthesized = read_stacks(out)
    assert sorted(synthesized) == sorted(data["stacks"])
    for env in data["environments"]:
        for stack in env["stacks"]:
            reads = sorted(name.removeprefix("cross-stack-reference-input-") for name in
                           synthesized[stack["id"]].get("data", {}).get("terraform_remote_state", {}))
            assert reads == stack["depends_on"], stack["id"]
