"""The guardrail pack an estate is checked with, and its run over the synthesized stacks.

The one place that decides which rules exist: the default pack plus the repository's own rules
(`stacks/rules.py`, see repository_rules); the config loader gets the rule ids from the same pack to
check suppressions. Plain Python (no cdktf), so the ids are known before the bindings load.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping, Optional

from mlops_iac.guardrails import DEFAULT_PACK, Origin, Report, Suppression
from mlops_iac.guardrails.synthesized import StackPolicy, check_synthesized
from mlops_iac.config.model import EnvironmentConfig
from mlops_iac.config.pipeline import LoadedEnvironment

from mlops_iac.guardrails.model import Pack

from .guardrail_fixes import Advisor

RULE_IDS = tuple(rule.id for rule in DEFAULT_PACK.rules)  # an estate without rules of its own


def stack_policy(env: EnvironmentConfig) -> StackPolicy:
    return StackPolicy(env.name, env.stage == "production",
                       tuple(Suppression(s.rule, s.reason, s.resource) for s in env.guardrails.suppressions))


def check_stacks(outdir: Path, stack_ids: Iterable[str], environments: Iterable[LoadedEnvironment],
                 report: Report, origins: Optional[Mapping[str, Origin]] = None,
                 pack: Pack = DEFAULT_PACK) -> Report:
    """Check the synthesized stacks ``<env>-<kind>`` in ``outdir`` with ``pack`` (the estate's: repository_pack);
    each finding names the config line of its resource (``origins``: mlops_iac.app.origins) and the config
    change that fixes it before the suppression."""
    by_name = {loaded.config.name: loaded for loaded in environments}
    owners = {stack_id: by_name[stack_id.rsplit("-", 1)[0]] for stack_id in stack_ids}
    policies = {stack_id: stack_policy(loaded.config) for stack_id, loaded in owners.items()}
    first_new = len(report.findings)
    check_synthesized(outdir, pack, policies, report, origins)
    advisors = {name: Advisor(loaded) for name, loaded in by_name.items()}
    report.findings[first_new:] = [advisors[owners[f.stack].config.name].advise(f) for f in report.findings[first_new:]]
    return report
