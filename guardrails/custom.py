"""Your own guardrail rules, applied by this repository's app after the default pack.

Example:

    from guardrails.model import COMPLIANT, NOT_APPLICABLE, Level, Rule, non_compliant

    def jobs_have_timeouts(resource, stack):
        if resource.rtype != "databricks_job":
            return NOT_APPLICABLE
        return COMPLIANT if resource.config.get("timeout_seconds") else non_compliant("no timeout_seconds")

    CUSTOM_RULES = (Rule("JOB-TIMEOUT", Level.WARNING, "job without a timeout",
                         "A hung job holds its cluster until someone notices.", jobs_have_timeouts),)
"""
from __future__ import annotations

from .model import Rule

CUSTOM_RULES: tuple[Rule, ...] = ()
