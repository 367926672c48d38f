"""Cluster policies of an environment, located: definitions well formed, interactive clusters within
their policy. Runs once policy files are read (definition_file resolved), before projects.

Problems in a definition_file point at the JSON file and the line of the attribute; inline
definitions at their YAML line. The evaluation itself is policy_eval.py.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Optional

from mlops_iac.provider_facts.policies import family_definition

from .binder import Locations, render_path
from .diagnostics import Diagnostic
from .located import Location
from .model import EnvironmentConfig
from .policy_eval import Violation, definition_problems, effective_definition, evaluate
from .safe_read import InputError, read_text

MANAGED_BY = "mlops-iac"


def init_script_path(env: EnvironmentConfig, name: str) -> str:
    """Where an environment's init script is uploaded (the stacks write it there)."""
    return f"{env.workspace.root_folder}/{env.name}/init_scripts/{name}.sh"


def enforced_definition(env: EnvironmentConfig, key: str) -> Optional[dict[str, Any]]:
    """The rules Databricks enforces for a policy as this tool emits it: the definition (or the
    family's rules with overrides) plus the init scripts the policy fixes. None for a family this
    tool does not ship (then its clusters are not evaluated)."""
    policy = env.cluster_policies[key]
    family = family_definition(policy.family) if policy.family else None
    if policy.family and family is None:
        return None
    rules = effective_definition(policy.definition, family, policy.overrides)
    for i, script in enumerate(policy.init_scripts):
        rules[f"init_scripts.{i}.workspace.destination"] = {"type": "fixed", "value": init_script_path(env, script)}
    return rules


def violation_diagnostic(location: Location, path: str, policy: str, violation: Violation,
                         hint: str = "") -> Diagnostic:
    return Diagnostic(location, path, f"breaks cluster policy '{policy}': {violation.message} "
                      f"({violation.rule} rule on {violation.attribute})", violation.allowed + hint)


def _json_line(text: str, attribute: str, field: Optional[str]) -> Optional[int]:
    match = re.search(re.escape(f'"{attribute}"') + r"\s*:", text)
    if match is None:
        return None
    start = match.start()
    if field:
        inner = re.compile(re.escape(f'"{field}"') + r"\s*:").search(text, match.end())
        if inner is not None and "}" not in text[match.end():inner.start()]:
            start = inner.start()
    return text.count("\n", 0, start) + 1


def _read(root: Path, relative: str) -> Optional[str]:
    try:
        return read_text(root / relative, root)
    except InputError:  # reported by files.py
        return None


def policy_definitions_are_valid(env: EnvironmentConfig, loc: Locations, root: Path) -> Iterable[Diagnostic]:
    """Inline definitions and overrides at their YAML line; definition files at the JSON line (the
    path is then the JSON key path, the file is in the location)."""
    for key, policy in sorted(env.cluster_policies.items()):
        for section, definition in (("definition", policy.definition), ("overrides", policy.overrides)):
            if not definition:
                continue
            from_file = section == "definition" and policy.definition_file is not None
            text = _read(root, policy.definition_file) if from_file else None
            for problem in definition_problems(definition):
                rule_path = (problem.attribute,) + ((problem.field,) if problem.field else ())
                if text is not None:
                    line = _json_line(text, problem.attribute, problem.field)
                    location = (Location(policy.definition_file, line, 1) if line
                                else loc.of(("cluster_policies", key, "definition_file")))
                    path = rule_path
                else:
                    path = ("cluster_policies", key, section) + rule_path
                    location = loc.key_of(path) if problem.field is None else loc.of(path)
                yield Diagnostic(location, render_path(path), f"policy '{key}': {problem.message}",
                                 problem.expected, problem.suggestion)


def interactive_cluster_spec(env: EnvironmentConfig, name: str) -> dict[str, Any]:
    """The cluster as the stacks emit it (with the tags the policy fixes and the tool's tags)."""
    from .compute import policy_fixed_tags
    cluster = env.clusters[name]
    spec: dict[str, Any] = {
        "cluster_name": f"{env.name}-{name}", "spark_version": cluster.spark_version,
        "node_type_id": cluster.node_type_id, "autotermination_minutes": cluster.autotermination_minutes,
        "data_security_mode": cluster.data_security_mode,
        "custom_tags": {**cluster.custom_tags, **policy_fixed_tags(env, cluster.policy),
                        "environment": env.name, "managed_by": MANAGED_BY},
    }
    if cluster.num_workers is not None:
        spec["num_workers"] = cluster.num_workers
    if cluster.autoscale is not None:
        spec["autoscale"] = {"min_workers": cluster.autoscale.min_workers, "max_workers": cluster.autoscale.max_workers}
    if cluster.single_user_name:
        spec["single_user_name"] = cluster.single_user_name
    if cluster.init_scripts:
        spec["init_scripts"] = [{"workspace": {"destination": init_script_path(env, s)}} for s in cluster.init_scripts]
    if cluster.spark_conf:
        spec["spark_conf"] = dict(cluster.spark_conf)
    return spec


def interactive_clusters_follow_policies(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    for name, cluster in sorted(env.clusters.items()):
        if cluster.policy is None or cluster.policy not in env.cluster_policies:
            continue
        rules = enforced_definition(env, cluster.policy)
        if rules is None or definition_problems(rules):
            continue
        base = ("clusters", name)
        for violation in evaluate(rules, interactive_cluster_spec(env, name), "all-purpose", True):
            # The attribute's line when the file sets it (autoscale.max_workers, custom_tags.team),
            # else the cluster's.
            head, _, rest = violation.attribute.partition(".")
            candidates = [base + (head, rest), base + (head,)] if rest else [base + (head,)]
            path = next((c for c in candidates if c in loc.values), base)
            yield violation_diagnostic(loc.of(path) if path != base else loc.key_of(base), render_path(path),
                                       cluster.policy, violation)


def check_policies(env: EnvironmentConfig, loc: Locations, root: Path) -> list[Diagnostic]:
    """Definitions first; clusters only under definitions that are well formed."""
    return list(policy_definitions_are_valid(env, loc, root)) + list(interactive_clusters_follow_policies(env, loc))
