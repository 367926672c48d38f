"""Tool goldens: every stack synthesized from a fixture estate equals its expected snapshot
(tests/fixtures/estates/<estate>/expected/<stack>.tf.json).

After an intended change of the output, run `make golden` and review the snapshot diff.
"""
import json

import pytest

from mlops_iac.app.golden import SNAPSHOT_SUFFIX, canonical, snapshot_texts
from tests.conftest import ESTATES, REFERENCE

SNAPSHOTS = sorted(ESTATES.glob(f"*/expected/*{SNAPSHOT_SUFFIX}"))


def stack_of(snapshot) -> str:
    return snapshot.name[:-len(SNAPSHOT_SUFFIX)]


def test_the_reference_estate_has_one_snapshot_per_stack(example_stacks):
    expected = sorted(stack_of(p) for p in (REFERENCE / "expected").glob(f"*{SNAPSHOT_SUFFIX}"))
    assert expected == sorted(example_stacks)


@pytest.mark.parametrize("snapshot", [p for p in SNAPSHOTS if p.parent.parent == REFERENCE],
                         ids=lambda p: stack_of(p))
def test_reference_stack_matches_its_snapshot(example_stacks, snapshot):
    expected = snapshot.read_text()
    assert canonical(example_stacks[stack_of(snapshot)]) == expected, (
        f"{stack_of(snapshot)} differs from {snapshot.relative_to(ESTATES)}; if intended, run `make golden`")
    json.loads(expected)  # the snapshot itself is valid JSON


@pytest.mark.parametrize("estate", sorted({p.parent.parent for p in SNAPSHOTS} - {REFERENCE}),
                         ids=lambda p: p.name)
def test_other_fixture_estates_match_their_snapshots(estate):
    expected = {stack_of(p): p.read_text() for p in (estate / "expected").glob(f"*{SNAPSHOT_SUFFIX}")}
    assert snapshot_texts(estate / "envs") == expected, f"{estate.name}: if intended, run `make golden`"
