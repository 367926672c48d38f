"""Acceptance folders for diagnostics: tests/fixtures/diagnostics/<case>/ holds an estate (envs/,
projects/ when needed) and expected.txt, the exact stderr of `python -m stacks synth` on it.

Every case runs the real CLI in a copy of its folder: exit code 1, stderr equal to expected.txt,
nothing on stdout and nothing written. Add a case by adding a folder; `make golden` writes its
expected.txt (review it before committing).
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_iac.app.golden import DIAGNOSTIC_CASES, EXPECTED_STDERR
from tests.conftest import REPO

CASES = sorted(p for p in (REPO / DIAGNOSTIC_CASES).iterdir() if p.is_dir())


def tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_there_are_diagnostics_cases_and_each_has_an_expected_stderr():
    assert CASES
    assert [c.name for c in CASES if not (c / EXPECTED_STDERR).is_file()] == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_synth_reports_exactly_the_expected_diagnostics_and_writes_nothing(tmp_path, case):
    # GIVEN a copy of the case's estate
    project = Path(shutil.copytree(case, tmp_path / case.name, ignore=shutil.ignore_patterns(EXPECTED_STDERR)))
    before = tree(project)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("MLOPS_IAC_DEBUG", None)
    # WHEN the CLI synthesizes it
    result = subprocess.run([sys.executable, "-m", "mlops_iac.app", "synth"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=300)
    # THEN it fails with exactly the expected diagnostics, and nothing is written
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    assert result.stderr == (case / EXPECTED_STDERR).read_text(), (
        f"{case.name}: stderr differs from expected.txt; if intended, run `make golden`")
    assert tree(project) == before
