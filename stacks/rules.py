"""This repository's own guardrail rules: mlops-iac loads `stacks/rules.py` beside the `envs/` it
synthesizes and applies `CUSTOM_RULES` after its default pack (suppressions may name them).

Example:

    from mlops_iac.guardrails.model import COMPLIANT, NOT_APPLICABLE, Level, Rule, non_compliant

    def jobs_have_timeouts(resource, stack):
        if resource.rtype != "databricks_job":
            return NOT_APPLICABLE
        return COMPLIANT if resource.config.get("timeout_seconds") else non_compliant("no timeout_seconds")

    CUSTOM_RULES = (Rule("JOB-TIMEOUT", Level.WARNING, "job without a timeout",
                         "A hung job holds its cluster until someone notices.", jobs_have_timeouts),)
"""
from __future__ import annotations

from mlops_iac.guardrails.model import Rule

CUSTOM_RULES: tuple[Rule, ...] = ()
