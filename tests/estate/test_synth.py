"""Every environment of the estate synthesizes its stacks, with no guardrail error."""


def test_every_environment_synthesizes_its_platform_and_workspace_stack(estate_synth, estate_stacks):
    environments, _, _ = estate_synth
    expected = {f"{e.config.name}-{kind}" for e in environments for kind in ("platform", "workspace")}
    assert set(estate_stacks) == expected


def test_the_estate_has_no_guardrail_errors(estate_synth):
    _, report, _ = estate_synth
    assert report.errors == [], "guardrail errors:\n" + "\n".join(f.render() for f in report.errors)
