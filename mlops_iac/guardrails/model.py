"""Guardrail rules, packs and findings, in the spirit of cdk-nag. Plain Python over synthesized
Terraform JSON: no cdktf import.

A rule is a small pure function ``check(resource, stack) -> Verdict`` over the synthesized JSON of
one resource (or provider block) and its stack; a pack gives each rule a level (error fails the
synth, warning is reported), an ``info`` (what is wrong), an ``explanation`` (why it matters) and
optionally a ``fix`` (how to comply). An app that knows where its resources came from hands in
``Origin``s (plain data: config file, line, column, key path) by construct path prefix; each finding
then names the config line of its resource, and the app may phrase the fix in its config's terms.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Iterable, Mapping, Optional

REASON_MIN = 10


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Verdict:
    compliant: Optional[bool]  # None: not applicable
    detail: str = ""


COMPLIANT = Verdict(True)
NOT_APPLICABLE = Verdict(None)


def non_compliant(detail: str = "") -> Verdict:
    return Verdict(False, detail)


@dataclass(frozen=True)
class ResourceView:
    kind: str  # "resource" or "provider"
    rtype: str  # e.g. databricks_job, or the provider name
    name: str  # Terraform name (logical id) or provider alias index
    path: str  # construct path, e.g. prod-workspace/project-churn/job-model-train/job
    config: dict

    @property
    def address(self) -> str:
        return f"{self.rtype}.{self.name}"


@dataclass
class StackView:
    stack_id: str
    environment: str
    production: bool
    terraform: dict

    _referenced: dict = field(default_factory=dict, repr=False, compare=False)

    def resources(self, rtype: str) -> dict[str, dict]:
        return self.terraform.get("resource", {}).get(rtype, {})

    def referenced_by(self, rtype: str, argument: str) -> frozenset[str]:
        """Addresses (``type.name``) that the ``argument`` of some ``rtype`` resource refers to,
        e.g. the jobs named by a databricks_permissions' job_id; computed once per stack."""
        key = (rtype, argument)
        if key not in self._referenced:
            found = set()
            for config in self.resources(rtype).values():
                value = config.get(argument)
                parts = value[2:].split(".", 2) if isinstance(value, str) and value.startswith("${") else []
                if len(parts) == 3:  # ${type.name.attribute}
                    found.add(f"{parts[0]}.{parts[1]}")
            self._referenced[key] = frozenset(found)
        return self._referenced[key]


Check = Callable[[ResourceView, StackView], Verdict]


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    info: str
    explanation: str
    check: Check
    fix: str = ""  # how to comply, when the app has nothing more specific to say


@dataclass(frozen=True)
class Origin:
    """Where a resource came from in the app's own input: a config file position and the key path
    there (e.g. ``workspace.public_network_access``). Plain data: guardrails knows no config model."""
    file: str
    line: int
    column: int
    key: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def origin_of(path: str, origins: Mapping[str, Origin]) -> Optional[Origin]:
    """The origin recorded for the construct path or its nearest recorded ancestor."""
    while path:
        found = origins.get(path)
        if found is not None:
            return found
        path = path.rpartition("/")[0]
    return None


@dataclass(frozen=True)
class Pack:
    name: str
    rules: tuple[Rule, ...]

    def with_rules(self, *rules: Rule) -> "Pack":
        """This pack plus your own rules (ids must be new)."""
        taken = {r.id for r in self.rules}
        clash = [r.id for r in rules if r.id in taken]
        if clash:
            raise ValueError(f"rule ids already in pack {self.name}: {', '.join(clash)}")
        return Pack(self.name, self.rules + tuple(rules))


@dataclass(frozen=True)
class Suppression:
    """Silence one rule for a whole stack (resource None) or for the resources whose construct path
    or Terraform address starts with ``resource``. The reason is mandatory and recorded."""
    rule_id: str
    reason: str
    resource: Optional[str] = None

    def __post_init__(self) -> None:
        if len(self.reason.strip()) < REASON_MIN:
            raise ValueError(f"suppression of {self.rule_id} needs a reason of at least {REASON_MIN} characters")

    def covers(self, rule_id: str, view: ResourceView) -> bool:
        if rule_id != self.rule_id:
            return False
        if self.resource is None:
            return True
        return any(candidate.startswith(self.resource) for candidate in
                   (view.address, view.path, view.path.split("/", 1)[-1]))


@dataclass(frozen=True)
class Finding:
    rule_id: str
    level: Level
    stack: str
    address: str
    path: str
    message: str
    suppressed_because: Optional[str] = None
    origin: Optional[Origin] = None  # the config line that produced the resource, when known
    fix: str = ""  # how to comply, in the terms of the config when the app knows them
    suppress_hint: str = ""  # how to suppress it, in the app's terms (default: a Suppression)

    def render(self) -> str:
        """``<config file:line:col or Terraform address>: <level> [RULE] <construct path>: message``,
        then the fix and, last, how to suppress it (like the config diagnostics)."""
        where = str(self.origin) if self.origin else self.address
        lines = [f"{where}: {self.level.value} [{self.rule_id}] {self.path}: {self.message}"]
        if self.fix:
            lines.append(f"  fix: {self.fix}")
        resource = self.path.split("/", 1)[-1]
        lines.append("  or suppress with a reason: " + (self.suppress_hint or (
            f"Suppression({self.rule_id!r}, reason='<why, {REASON_MIN}+ characters>', resource={resource!r})")))
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        origin = self.origin and {"file": self.origin.file, "line": self.origin.line,
                                  "column": self.origin.column, "key": self.origin.key}
        return {"rule_id": self.rule_id, "level": self.level.value, "stack": self.stack, "address": self.address,
                "path": self.path, "message": self.message, "suppressed_because": self.suppressed_because,
                "origin": origin, "fix": self.fix}


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ERROR and not f.suppressed_because]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.WARNING and not f.suppressed_because]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed_because]

    def as_json(self) -> dict[str, Any]:
        ordered = sorted(self.findings, key=lambda f: (f.stack, f.rule_id, f.address))
        return {"errors": len(self.errors), "warnings": len(self.warnings), "suppressed": len(self.suppressed),
                "findings": [f.as_json() for f in ordered]}


def evaluate(pack: Pack, stack: StackView, suppressions: Iterable[Suppression],
             origins: Optional[Mapping[str, Origin]] = None) -> list[Finding]:
    """Run every rule of the pack on every resource and provider block of one stack; each finding
    carries the origin of its construct path (nearest recorded ancestor) when ``origins`` has one."""
    suppressions = list(suppressions)
    origins = origins or {}
    findings = []
    for view in views(stack.terraform, stack.stack_id):
        for rule in pack.rules:
            verdict = rule.check(view, stack)
            if verdict.compliant is not False:
                continue
            reason = next((s.reason for s in suppressions if s.covers(rule.id, view)), None)
            findings.append(Finding(rule.id, rule.level, stack.stack_id, view.address, view.path,
                                    f"{rule.info}{': ' + verdict.detail if verdict.detail else ''}", reason,
                                    origin_of(view.path, origins), rule.fix))
    return findings


def views(terraform: dict, stack_id: str) -> Iterable[ResourceView]:
    for rtype, items in sorted(terraform.get("resource", {}).items()):
        for name, config in sorted(items.items()):
            path = config.get("//", {}).get("metadata", {}).get("path", f"{stack_id}/{name}")
            yield ResourceView("resource", rtype, name, path, config)
    for provider, blocks in sorted(terraform.get("provider", {}).items()):
        for i, config in enumerate(blocks):
            yield ResourceView("provider", provider, str(i), f"{stack_id}/provider/{provider}", config)

