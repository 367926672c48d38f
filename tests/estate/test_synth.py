"""Every environment of the estate loads and synthesizes, with no guardrail error."""
from tests.estate.conftest import ESTATE_ENVS


def test_every_environment_file_is_an_environment(estate_synth):
    environments, _, _ = estate_synth
    files = sorted(p.stem for p in ESTATE_ENVS.glob("*.y*ml") if p.stem not in ("defaults", "access"))
    assert sorted(e.config.name for e in environments) == files


def test_every_environment_synthesizes_its_platform_and_workspace_stack(estate_synth, estate_stacks):
    environments, _, _ = estate_synth
    expected = {f"{e.config.name}-{kind}" for e in environments for kind in ("platform", "workspace")}
    assert set(estate_stacks) == expected


def test_the_estate_has_no_guardrail_errors(estate_synth):
    _, report, _ = estate_synth
    assert report.errors == [], "guardrail errors:\n" + "\n".join(f.render() for f in report.errors)


def test_every_project_folder_is_deployed_somewhere(estate_synth):
    environments, _, _ = estate_synth
    folders = sorted(p.parent.name for p in (ESTATE_ENVS.parent / "projects").glob("*/project.yaml"))
    listed = {name for e in environments for name in e.config.projects}
    assert [f for f in folders if f not in listed] == [], "project folders no environment lists in `projects:`"
