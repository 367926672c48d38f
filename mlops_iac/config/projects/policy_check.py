"""Every cluster a job or pipeline spec creates, evaluated against the policy it runs under, as the
tool emits it (policy tags, apply_policy_default_values). A violation points at the attribute's
line when the spec (or an override) wrote it, else at the cluster."""
from __future__ import annotations

import weakref
from typing import Any, Iterator, Optional

from ..diagnostics import Diagnostic
from ..located import LMap, LNode, LSeq
from ..model import EnvironmentConfig
from ..policy_eval import definition_problems, evaluate
from ..policy_rules import enforced_definition, violation_diagnostic
from .job_rules import _get, _items, _text
from .refs import Ref
from .spec_schema import render

NOT_EVALUATED = ("policy_id", "apply_policy_default_values", "label")


def _keyed(body_items: list, nodes: Optional[LNode], body_key: str, api_key: str) -> Iterator[tuple[dict, Optional[LNode], str]]:
    located = {_text(_get(n, api_key)): n for n in _items(nodes)}
    for item in body_items:
        name = str(item.get(body_key, ""))
        yield item, located.get(name), name


def spec_clusters(kind: str, node: LMap, body: dict) -> Iterator[tuple[dict, Optional[LNode], tuple]]:
    """(emitted cluster, located cluster or None, API path) for every cluster of a spec."""
    if kind == "pipeline":
        for cluster, located, label in _keyed(body.get("cluster", []), _get(node, "clusters"), "label", "label"):
            yield cluster, located, (f"clusters[{label}]",)
        return
    for item, located, key in _keyed(body.get("job_cluster", []), _get(node, "job_clusters"),
                                     "job_cluster_key", "job_cluster_key"):
        if "new_cluster" in item:
            yield item["new_cluster"], _get(located, "new_cluster"), (f"job_clusters[{key}]", "new_cluster")
    for task, located, key in _keyed(body.get("task", []), _get(node, "tasks"), "task_key", "task_key"):
        if "new_cluster" in task:
            yield task["new_cluster"], _get(located, "new_cluster"), (f"tasks[{key}]", "new_cluster")
        inner = task.get("for_each_task", {}).get("task", {})
        if "new_cluster" in inner:
            yield (inner["new_cluster"], _get(located, "for_each_task", "task", "new_cluster"),
                   (f"tasks[{key}]", "for_each_task", "task", "new_cluster"))


def locate(node: Optional[LNode], attribute: str) -> tuple[Optional[LNode], tuple]:
    """The located node of a dotted policy attribute (map keys may hold dots), or the deepest
    parent that exists, with the path walked."""
    walked: tuple = ()
    rest = attribute
    while rest and node is not None:
        if isinstance(node, LSeq):
            head, _, rest = rest.partition(".")
            if not head.isdigit() or int(head) >= len(node.items):
                break
            node, walked = node.items[int(head)], walked + (int(head),)
        elif isinstance(node, LMap):
            key = next((k for k in sorted(node.entries, key=len, reverse=True)
                        if rest == k or rest.startswith(k + ".")), None)
            if key is None:
                break
            node, walked, rest = node.entries[key].value, walked + (key,), rest[len(key) + 1:]
        else:
            break
    return node, walked


_CHECKED: dict[int, dict[str, Optional[dict[str, Any]]]] = {}  # id(env) -> policy key -> rules


def checked_definition(env: EnvironmentConfig, key: str) -> Optional[dict[str, Any]]:
    """The enforced rules of one of an environment's policies if they are well formed (a malformed
    definition is reported by the policy rules), else None. Built and checked once per environment
    and policy, not once per cluster: the entry lives as long as the environment object."""
    per_env = _CHECKED.get(id(env))
    if per_env is None:
        per_env = _CHECKED[id(env)] = {}
        weakref.finalize(env, _CHECKED.pop, id(env), None)
    if key not in per_env:
        rules = enforced_definition(env, key)
        per_env[key] = None if rules is None or definition_problems(rules) else rules
    return per_env[key]


def check_spec_clusters(env: EnvironmentConfig, kind: str, node: LMap, body: dict) -> list[Diagnostic]:
    found = []
    cluster_type = "dlt" if kind == "pipeline" else "job"
    for cluster, located, path in spec_clusters(kind, node, body):
        policy = cluster.get("policy_id")
        key = policy.name if isinstance(policy, Ref) else None
        if key not in env.cluster_policies:
            continue  # an unknown policy is reported by the environment checks
        rules = checked_definition(env, key)
        if rules is None:
            continue
        spec: dict[str, Any] = {k: v for k, v in cluster.items() if k not in NOT_EVALUATED}
        for violation in evaluate(rules, spec, cluster_type, cluster.get("apply_policy_default_values") is True):
            target, walked = locate(located, violation.attribute)
            where = target if target is not None and walked else located
            location = where.loc if where is not None else node.loc
            hint = ("; a DLT pipeline needs a policy that allows cluster_type dlt (purpose: pipeline)"
                    if violation.attribute == "cluster_type" and kind == "pipeline" else "")
            found.append(violation_diagnostic(location, render(path + walked), key, violation, hint))
    return found
