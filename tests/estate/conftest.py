"""The estate's checks: properties that hold for ANY valid estate (envs/ and projects/ at the
repository root), so a team that adds an environment or a project keeps a green suite.

Nothing here may name an environment, a project, a group or a count of the example: what is
expected comes from the estate itself (its files, its synthesized stacks, its snapshots).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from mlops_iac.app.golden import ESTATE_GOLDEN, SNAPSHOT_SUFFIX
from tests.conftest import REPO

ESTATE_ENVS = REPO / "envs"
SNAPSHOTS = REPO / ESTATE_GOLDEN


def snapshot_ids() -> list[str]:
    """The stacks the estate's snapshots name (their set is checked against the synth)."""
    return sorted(p.name[:-len(SNAPSHOT_SUFFIX)] for p in SNAPSHOTS.glob(f"*{SNAPSHOT_SUFFIX}"))


@pytest.fixture(scope="session")
def estate_synth(tmp_path_factory):
    """(environments, guardrail report, cdktf.out) of the estate, synthesized once per session.
    Guardrail errors do not raise here: the check that the estate is clean reports them."""
    from mlops_iac.guardrails import Report
    from mlops_iac.config import load_environments
    from mlops_iac.app.cli import GuardrailError, synthesize

    environments = load_environments(ESTATE_ENVS)
    out = tmp_path_factory.mktemp("estate") / "cdktf.out"
    report = Report()
    try:
        synthesize(ESTATE_ENVS, out, report)
    except GuardrailError:
        pass
    return environments, report, out


@pytest.fixture(scope="session")
def estate_stacks(estate_synth) -> dict[str, dict]:
    from mlops_iac.app.summary import read_stacks

    return read_stacks(estate_synth[2])


@pytest.fixture(scope="session")
def estate_out(estate_synth) -> Path:
    return estate_synth[2]
