"""Apply a rule pack to a stack as a cdktf Aspect: on synth, the stack's Terraform JSON is checked
and every finding (with suppressions and their reasons) goes into a shared Report. Warnings are
also annotated on the construct, so `cdktf synth` shows them."""
from __future__ import annotations

from typing import Iterable

import jsii
from cdktf import Annotations, Aspects, IAspect, TerraformStack

from .model import Level, Pack, Report, StackView, Suppression, evaluate


@jsii.implements(IAspect)
class GuardrailsAspect:
    def __init__(self, stack: TerraformStack, pack: Pack, environment: str, production: bool,
                 suppressions: Iterable[Suppression], report: Report) -> None:
        self._stack, self._pack = stack, pack
        self._environment, self._production = environment, production
        self._suppressions = tuple(suppressions)
        self._report = report

    def visit(self, node) -> None:
        if node is not self._stack:
            return
        view = StackView(self._stack.node.id, self._environment, self._production, self._stack.to_terraform())
        findings = evaluate(self._pack, view, self._suppressions)
        self._report.findings.extend(findings)
        for finding in findings:
            if finding.level is Level.WARNING and not finding.suppressed_because:
                Annotations.of(self._stack).add_warning(finding.render())


def apply_guardrails(stack: TerraformStack, pack: Pack, *, environment: str, production: bool,
                     suppressions: Iterable[Suppression], report: Report) -> None:
    Aspects.of(stack).add(GuardrailsAspect(stack, pack, environment, production, suppressions, report))
