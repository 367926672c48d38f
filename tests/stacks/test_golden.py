"""Golden snapshots: every synthesized stack equals tests/golden/<stack>.tf.json.

After an intended change, run `make golden` and review the snapshot diff in the pull request.
"""
import json

import pytest

from tests.conftest import REPO, canonical

GOLDEN = REPO / "tests" / "golden"


def test_there_is_one_snapshot_per_stack(example_stacks):
    assert sorted(p.name[:-len(".tf.json")] for p in GOLDEN.glob("*.tf.json")) == sorted(example_stacks)


@pytest.mark.parametrize("stack_id", sorted(p.name[:-len(".tf.json")] for p in GOLDEN.glob("*.tf.json")))
def test_stack_matches_its_snapshot(example_stacks, stack_id):
    expected = (GOLDEN / f"{stack_id}.tf.json").read_text()
    actual = canonical(example_stacks[stack_id])
    assert actual == expected, f"{stack_id} differs from its snapshot; if intended, run `make golden`"
    json.loads(expected)  # the snapshot itself is valid JSON
