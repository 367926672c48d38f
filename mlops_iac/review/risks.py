"""Risk flags a reviewer must see first. Each check looks at one change and says what is risky."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from mlops_iac.provider_facts.stateful import STATEFUL

from .changes import ResourceChange
from .diff import MISSING



@dataclass(frozen=True)
class Risk:
    stack: str
    kind: str  # short label: destroy, replace, access removed, owner, prod schedule, policy loosened, prod
    message: str


def _who(entry: dict) -> str:
    return next((entry[k] for k in ("group_name", "service_principal_name", "user_name", "principal") if entry.get(k)), "?")


def destroy_of_stateful(change: ResourceChange, prod: bool) -> Iterable[str]:
    if change.rtype in STATEFUL and change.action in ("delete", "replace"):
        why = f" (because {', '.join(change.replaced_by)} changed)" if change.replaced_by else ""
        yield f"{change.action} of stateful `{change.rtype}` {change.name}{why}: its data or history is lost"


def access_removed(change: ResourceChange, prod: bool) -> Iterable[str]:
    if change.rtype == "databricks_group_member" and change.action == "delete":
        yield f"group membership removed: {change.name}"
    if change.rtype == "databricks_secret_acl" and change.action == "delete":
        yield f"secret ACL removed for {change.before.get('principal')}"
    if change.rtype in ("databricks_permissions", "databricks_grants") and change.action == "delete":
        yield f"{change.name} deleted: only the owner and admins keep access (unless its object goes too)"
    elif change.rtype in ("databricks_permissions", "databricks_grants"):
        before = {_who(e): e for e in (change.before or {}).get("access_control", (change.before or {}).get("grant", []))}
        after = {_who(e): e for e in (change.after or {}).get("access_control", (change.after or {}).get("grant", []))}
        for who in sorted(before):
            if who not in after:
                yield f"{who} loses access: {change.name}"
            elif before[who] != after[who]:
                old = before[who].get("permission_level", before[who].get("privileges"))
                new = after[who].get("permission_level", after[who].get("privileges"))
                yield f"{who}: {old} -> {new} on {change.name}"


def identity_changed(change: ResourceChange, prod: bool) -> Iterable[str]:
    for field in change.fields:
        if field.path.startswith("run_as"):
            yield f"run_as of {change.name}: {_show(field.before)} -> {_show(field.after)}"
    if change.rtype == "databricks_permissions" and change.action in ("update", "replace"):
        owners = [tuple(_who(e) for e in (side or {}).get("access_control", []) if e.get("permission_level") == "IS_OWNER")
                  for side in (change.before, change.after)]
        if owners[0] != owners[1]:
            yield f"owner of {change.name}: {', '.join(owners[0]) or 'none'} -> {', '.join(owners[1]) or 'none'}"


SCHEDULE_BLOCKS = {"schedule": "schedule", "trigger": "trigger", "continuous": "continuous run"}


def _block(config: dict | None, name: str) -> dict | None:
    """A job's schedule/trigger/continuous block (a one-item list in plans); a pipeline's
    `continuous: true` counts as an unpaused continuous block."""
    value = (config or {}).get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    if value is True:
        return {"pause_status": "UNPAUSED"}
    return value if isinstance(value, dict) else None


def _runs(block: dict | None) -> bool:
    """Databricks runs a schedule unless it is explicitly paused (UNPAUSED is the default)."""
    return block is not None and block.get("pause_status", "UNPAUSED") != "PAUSED"


def _when(name: str, block: dict) -> str:
    if name == "schedule" and block.get("quartz_cron_expression"):
        return f" `{block['quartz_cron_expression']}` ({block.get('timezone_id', 'UTC')})"
    if name == "trigger":
        kinds = [k for k in ("periodic", "file_arrival", "table_update", "table") if block.get(k)]
        return f" on {kinds[0].replace('_', ' ')}" if kinds else ""
    return ""


def prod_schedule(change: ResourceChange, prod: bool) -> Iterable[str]:
    """Production jobs and pipelines that start running on their own: a new unpaused schedule,
    trigger or continuous run, or one unpaused; and production schedules that stop."""
    if not prod or change.rtype not in ("databricks_job", "databricks_pipeline") or change.action == "delete":
        return
    for name, what in SCHEDULE_BLOCKS.items():
        before, after = _block(change.before, name), _block(change.after, name)
        if _runs(after) and not _runs(before):
            if before is None:
                yield f"new production {what} of {change.name}{_when(name, after)}, unpaused"
            else:
                yield f"production {what} of {change.name}{_when(name, after)} unpaused: PAUSED -> UNPAUSED"
        elif _runs(before) and not _runs(after):
            yield (f"production {what} of {change.name} removed" if after is None else
                   f"production {what} of {change.name} paused: UNPAUSED -> PAUSED")


def policy_loosened(change: ResourceChange, prod: bool) -> Iterable[str]:
    if change.rtype != "databricks_cluster_policy" or change.action != "update":
        return
    for field in change.fields:
        top = field.path.split(".")[0]
        if top == "max_clusters_per_user" and (field.after is MISSING or (field.before is not MISSING and field.after > field.before)):
            yield f"{change.name}: max_clusters_per_user {_show(field.before)} -> {_show(field.after)}"
        if top not in ("definition", "policy_family_definition_overrides"):
            continue
        leaf = field.path.rsplit(".", 1)[-1]
        if field.after is MISSING and (field.before == "fixed" or isinstance(field.before, dict) or leaf in ("value", "maxValue", "values")):
            yield f"{change.name}: rule `{field.path.split('.', 1)[1]}` removed"
        elif leaf == "maxValue" and isinstance(field.before, (int, float)) and isinstance(field.after, (int, float)) \
                and field.after > field.before:
            yield f"{change.name}: `{field.path.split('.', 1)[1]}` raised {field.before} -> {field.after}"
        elif isinstance(field.before, list) and isinstance(field.after, list) and set(field.after) > set(field.before):
            yield f"{change.name}: `{field.path.split('.', 1)[1]}` allows more ({', '.join(map(str, sorted(set(field.after) - set(field.before))))})"


# In the order a reviewer reads them: what loses data, who loses or gains control, then the rest.
RISK_CHECKS: dict[str, Callable[[ResourceChange, bool], Iterable[str]]] = {
    "stateful": destroy_of_stateful, "identity": identity_changed, "access": access_removed,
    "prod schedule": prod_schedule, "policy": policy_loosened,
}
ORDER = {kind: i for i, kind in enumerate([*RISK_CHECKS, "prod"])}


def _show(value: Any) -> str:
    if value is MISSING:
        return "(none)"
    return json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else str(value)


def assess(changes: list[ResourceChange], production_stacks: set[str]) -> list[Risk]:
    risks = []
    for change in changes:
        prod = change.stack in production_stacks
        for kind, check in RISK_CHECKS.items():
            risks += [Risk(change.stack, kind, message) for message in check(change, prod)]
    touched = sorted({c.stack for c in changes if c.stack in production_stacks})
    risks += [Risk(s, "prod", f"production stack {s} changes ({sum(c.stack == s for c in changes)} resources)")
              for s in touched]
    return sorted(risks, key=lambda r: (ORDER[r.kind], r.stack, r.message))
