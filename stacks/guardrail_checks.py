"""The guardrail pack this repository applies, and its run over the synthesized stacks.

The one place that decides which rules exist: the config loader gets the rule ids from here to
check suppressions, and the synth checks every stack with the same pack. Plain Python (no cdktf),
so the ids are known before the bindings load.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from guardrails import DEFAULT_PACK, Report, Suppression
from guardrails.custom import CUSTOM_RULES
from guardrails.synthesized import StackPolicy, check_synthesized
from mlops_config.model import EnvironmentConfig

PACK = DEFAULT_PACK.with_rules(*CUSTOM_RULES)
RULE_IDS = tuple(rule.id for rule in PACK.rules)


def stack_policy(env: EnvironmentConfig) -> StackPolicy:
    return StackPolicy(env.name, env.stage == "production",
                       tuple(Suppression(s.rule, s.reason, s.resource) for s in env.guardrails.suppressions))


def check_stacks(outdir: Path, stack_ids: Iterable[str], environments: Iterable[EnvironmentConfig],
                 report: Report) -> Report:
    """Check the synthesized stacks ``<env>-<kind>`` in ``outdir`` with the pack of this repository."""
    by_name = {env.name: env for env in environments}
    policies = {stack_id: stack_policy(by_name[stack_id.rsplit("-", 1)[0]]) for stack_id in stack_ids}
    return check_synthesized(outdir, PACK, policies, report)
