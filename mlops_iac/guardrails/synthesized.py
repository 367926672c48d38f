"""Apply a rule pack to synthesized stacks: pure functions over each stack's Terraform JSON.

Runs after ``app.synth()`` on ``<outdir>/stacks/<id>/cdk.tf.json``, so nothing calls back from the
jsii runtime into Python while the constructs are visited. Resources keep the construct path cdktf
writes into their ``//`` metadata, and findings report it; an app that recorded where its
constructs came from passes ``origins`` (construct path prefix -> Origin) and each finding also
names that config line. Another repository applies a pack to its own cdktf output the same way:

    from mlops_iac.guardrails import DEFAULT_PACK, Report
    from mlops_iac.guardrails.synthesized import StackPolicy, check_synthesized

    report = check_synthesized(Path("cdktf.out"), DEFAULT_PACK, {
        "prod-workspace": StackPolicy(environment="prod", production=True),
    })
    if report.errors: ...
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from .model import Finding, Origin, Pack, Report, StackView, Suppression, evaluate


@dataclass(frozen=True)
class StackPolicy:
    """How one stack is judged: its environment, whether it is production, and the suppressions
    (each with its reason) that apply to it."""
    environment: str
    production: bool
    suppressions: tuple[Suppression, ...] = ()


def stack_json_path(outdir: Path, stack_id: str) -> Path:
    """Where cdktf writes a stack's Terraform JSON."""
    return outdir / "stacks" / stack_id / "cdk.tf.json"


def check_stack(terraform: dict, stack_id: str, pack: Pack, policy: StackPolicy,
                origins: Optional[Mapping[str, Origin]] = None) -> list[Finding]:
    """Every finding of the pack on one stack's Terraform JSON (a dict as cdktf wrote it)."""
    view = StackView(stack_id, policy.environment, policy.production, terraform)
    return evaluate(pack, view, policy.suppressions, origins)


def check_synthesized(outdir: Path, pack: Pack, policies: Mapping[str, StackPolicy],
                      report: Optional[Report] = None, origins: Optional[Mapping[str, Origin]] = None) -> Report:
    """Check the stacks named in ``policies`` (in that order) in a cdktf output directory; the
    findings are added to ``report`` (a new one if None), which is returned. ``origins``: construct
    path (stack id first) or a prefix of it -> where in the app's config that construct came from."""
    report = report if report is not None else Report()
    for stack_id, policy in policies.items():
        path = stack_json_path(outdir, stack_id)
        if not path.is_file():
            raise FileNotFoundError(f"no synthesized stack '{stack_id}' ({path})")
        report.findings.extend(check_stack(json.loads(path.read_text()), stack_id, pack, policy, origins))
    return report
