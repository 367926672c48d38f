"""Guardrails: policy as code over every synthesized stack (cdk-nag style rules, packs, suppressions
with recorded reasons). The rules are plain Python over synthesized Terraform JSON; mlops_iac.guardrails.synthesized
applies a pack to the stacks of a cdktf output directory after synth."""
from .model import Finding, Level, Origin, Pack, Report, ResourceView, Rule, StackView, Suppression, Verdict
from .packs import DEFAULT_PACK, RULE_IDS

__all__ = ["DEFAULT_PACK", "Finding", "Level", "Origin", "Pack", "RULE_IDS", "Report", "ResourceView", "Rule", "StackView",
           "Suppression", "Verdict"]
