"""checkov (pinned) over every stack of the estate: no unsuppressed failure. Production stacks
are held to .checkov.yaml, the others to .checkov.non-production.yaml."""
from tests.checkov_scan import scan


def test_every_estate_stack_passes_checkov(estate_synth):
    environments, _, out = estate_synth
    production = {e.config.name for e in environments if e.config.stage == "production"}
    stacks = sorted(p for p in (out / "stacks").iterdir() if p.is_dir())
    assert stacks
    failures = {s.name: scan(s, s.name.rsplit("-", 1)[0] in production)["failed"] for s in stacks}
    assert {name: found for name, found in failures.items() if found} == {}
