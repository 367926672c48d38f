"""checkov over synthesized stacks, from the virtual environment `make checkov-setup` builds
(.venv-checkov, requirements-checkov.lock: checkov's pins conflict with the project's).

Production stacks are scanned with .checkov.yaml, the others with .checkov.non-production.yaml;
each skipped check carries its reason on its line in those files."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

CHECKOV = REPO / ".venv-checkov" / "bin" / "checkov"
CONFIGS = {True: REPO / ".checkov.yaml", False: REPO / ".checkov.non-production.yaml"}
SKIP_LINE = re.compile(r"^\s*-\s*(CKV2?_[A-Z]+_\d+)\s*#\s*(.+)$")


def require_checkov() -> Path:
    if not CHECKOV.exists():
        message = "checkov is not installed: run `make checkov-setup` (make test does)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return CHECKOV


def skipped_checks(config: Path) -> dict[str, str]:
    """check id -> the reason written on its skip-check line."""
    return {m.group(1): m.group(2).strip() for line in config.read_text().splitlines() if (m := SKIP_LINE.match(line))}


def scan(stack_dir: Path, production: bool) -> dict:
    """checkov's summary and failed checks for one stack folder (cdk.tf.json)."""
    done = subprocess.run(
        [str(require_checkov()), "-d", str(stack_dir), "--config-file", str(CONFIGS[production]), "-o", "json"],
        capture_output=True, text=True, timeout=600, cwd=stack_dir,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"})
    assert done.returncode in (0, 1), done.stderr[-2000:]
    if not done.stdout.strip().startswith(("{", "[")):  # nothing checkov knows (no azurerm resource)
        return {"passed": 0, "failed": []}
    report = json.loads(done.stdout)
    reports = report if isinstance(report, list) else [report]
    failed = [f"{c['check_id']} {c['resource']}: {c['check_name']}"
              for r in reports for c in r.get("results", {}).get("failed_checks", [])]
    return {"passed": sum(r.get("summary", {}).get("passed", 0) for r in reports), "failed": failed}
