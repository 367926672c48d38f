"""synth --env / --stack builds only the selected environments, with the same bytes as a full synth."""
import textwrap

import pytest

from mlops_iac.app.cli import SelectionError, main, synthesize

DEFAULTS = """\
azure:
  tenant_id: 11111111-2222-3333-4444-555555555555
  location: eastus2
  tags: {cost_center: ml-platform, project: demo}
"""


def environment(name: str, stage: str, n: int) -> str:
    return textwrap.dedent(f"""\
        stage: {stage}
        display_name: {name.title()}
        azure:
          subscription_id: 00000000-0000-0000-0000-00000000000{n}
          resource_group: rg-{name}
        workspace:
          name: dbw-{name}
        """)


@pytest.fixture
def estate(tmp_path):
    envs = tmp_path / "envs"
    envs.mkdir()
    (envs / "defaults.yaml").write_text(DEFAULTS)
    (envs / "dev.yaml").write_text(environment("dev", "development", 1))
    (envs / "stg.yaml").write_text(environment("stg", "staging", 2))
    return envs


def stack_files(outdir):
    return {p.parent.name: p.read_bytes() for p in (outdir / "stacks").glob("*/cdk.tf.json")}


def test_one_environment_is_built_alone_with_the_bytes_of_a_full_synth(estate, tmp_path):
    assert synthesize(estate, tmp_path / "all") == ["dev-platform", "dev-workspace", "stg-platform", "stg-workspace"]
    assert synthesize(estate, tmp_path / "stg", only_envs=["stg"]) == ["stg-platform", "stg-workspace"]
    assert synthesize(estate, tmp_path / "glob", only_stacks=["dev-work*"]) == ["dev-platform", "dev-workspace"]
    everything = stack_files(tmp_path / "all")
    for selected in ("stg", "glob"):
        files = stack_files(tmp_path / selected)
        assert files and all(everything[name] == data for name, data in files.items())


def test_fails_when_the_selection_names_nothing(estate, tmp_path, capsys):
    with pytest.raises(SelectionError, match="no environment 'prd' \\(expected one of dev, stg\\)"):
        synthesize(estate, tmp_path / "out", only_envs=["prd"])
    assert main(["synth", "--envs", str(estate), "--out", str(tmp_path / "out"), "--stack", "prod-*"]) == 1
    assert "error: no stack matches 'prod-*'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
