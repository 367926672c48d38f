"""Shared fixtures of the tool's tests: small environment trees written to tmp_path, and the
reference fixture estate (tests/fixtures/estates/reference/) synthesized once per session.

The tool's tests never read the user's estate (envs/ and projects/ at the repository root); the
estate has checks of its own in tests/estate/ that hold for any valid estate."""
from __future__ import annotations

import json
import os
import shutil
import textwrap
from pathlib import Path

import pytest

from mlops_iac.config import ConfigError, load_environments

# The fixture estates written by the tests keep local state (the default backend), and the
# suite runs under CI=true in CI: allow it for this run and the processes it starts. Tests of
# the CI rule itself remove the variable (tests/mlops_iac/app/test_state.py).
os.environ.setdefault("MLOPS_IAC_ALLOW_LOCAL_STATE", "1")

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
ESTATES = FIXTURES / "estates"
# A frozen copy of the original example (three environments, the churn project): the tool's
# main fixture. Its expected/ holds one snapshot per stack (`make golden` regenerates them).
REFERENCE = ESTATES / "reference"

MINIMAL_DEFAULTS = """\
azure:
  tenant_id: 11111111-2222-3333-4444-555555555555
  location: eastus2
  tags: {cost_center: ml-platform}
"""

MINIMAL_ENV = """\
stage: development
display_name: Dev
azure:
  subscription_id: 00000000-0000-0000-0000-000000000001
  resource_group: rg-dev
workspace:
  name: dbw-dev
"""


def write_envs(root: Path, files: dict[str, str]) -> Path:
    """Write envs/<name> files (dedented) under root; returns the envs directory."""
    envs = root / "envs"
    envs.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (envs / name).write_text(textwrap.dedent(text))
    return envs


def config_errors(envs: Path) -> list[str]:
    """The rendered diagnostics of loading envs (fails the test when loading succeeds)."""
    with pytest.raises(ConfigError) as caught:
        load_environments(envs)
    return [d.render() for d in caught.value.diagnostics]


@pytest.fixture
def minimal_envs(tmp_path: Path) -> Path:
    return write_envs(tmp_path, {"defaults.yaml": MINIMAL_DEFAULTS, "dev.yaml": MINIMAL_ENV})


def estate_copy(dest: Path, estate: Path = REFERENCE) -> Path:
    """A writable copy of a fixture estate's envs/ and projects/ in dest (a test's tmp_path)."""
    dest.mkdir(parents=True, exist_ok=True)
    for folder in ("envs", "projects"):
        if (estate / folder).is_dir():
            shutil.copytree(estate / folder, dest / folder)
    return dest


@pytest.fixture(scope="session")
def example_out(tmp_path_factory) -> Path:
    """The reference fixture estate synthesized once per test session."""
    from mlops_iac.app.cli import synthesize

    out = tmp_path_factory.mktemp("synth") / "cdktf.out"
    synthesize(REFERENCE / "envs", out)
    return out


@pytest.fixture(scope="session")
def example_stacks(example_out: Path) -> dict[str, dict]:
    from mlops_iac.app.summary import read_stacks

    return read_stacks(example_out)


def resources(stack: dict, rtype: str) -> dict[str, dict]:
    return stack.get("resource", {}).get(rtype, {})


def only(items: dict) -> dict:
    assert len(items) == 1, f"expected exactly one, got {sorted(items)}"
    return next(iter(items.values()))


def canonical(data: dict) -> str:
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


# --- nothing left behind ---------------------------------------------------------------------
# cdktf's Testing.app() and App() without an outdir make a cdktf.outdir.* folder in the temp dir
# that nobody removes: every app of a test must write into its tmp_path. The jsii runtime (Node)
# and every process the tests start get a private temp dir (TMPDIR) for this run, so what they
# leave behind is seen here, whatever else runs on the machine; the run fails naming it, and the
# private dir is removed. pytest's own tmp_path stays where it was (resolved before the switch).
import tempfile  # noqa: E402

_SHARED_TEMP = Path(tempfile.gettempdir())  # resolved (and cached) before TMPDIR changes
_RUN_TEMP = Path(tempfile.mkdtemp(prefix="mlops-iac-tests-", dir=_SHARED_TEMP))
os.environ["TMPDIR"] = str(_RUN_TEMP)


def pytest_sessionfinish(session, exitstatus):
    left = sorted(p.name for p in _RUN_TEMP.glob("cdktf.outdir.*"))
    shutil.rmtree(_RUN_TEMP, ignore_errors=True)
    if left:
        print(f"\nleft behind in the temp dir: {', '.join(left)} (give each cdktf App an outdir in tmp_path)")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
