"""The change model of a pull request: per stack, which resources are created, updated, deleted or
replaced, and which fields changed. Built from two synth outputs (no credentials) or from
`terraform show -json` of a saved plan (the real actions, when CI can plan)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Optional

from .diff import FieldChange, diff
from .names import Namer, plan_targets
from .resources import Resources, display_name

Action = Literal["create", "update", "delete", "replace"]

# Attributes whose change makes the provider destroy and recreate the resource (ForceNew).
FORCE_NEW: dict[str, tuple[str, ...]] = {
    "azurerm_resource_group": ("name", "location"),
    "azurerm_databricks_workspace": ("name", "location", "resource_group_name", "managed_resource_group_name",
                                     "custom_parameters.virtual_network_id", "custom_parameters.public_subnet_name",
                                     "custom_parameters.private_subnet_name"),
    "azurerm_storage_account": ("name", "location", "resource_group_name", "account_tier", "is_hns_enabled"),
    "azurerm_storage_container": ("name", "storage_account_id"),
    "azurerm_key_vault": ("name", "location", "resource_group_name"),
    "databricks_mlflow_model": ("name",),
    "databricks_registered_model": ("name", "catalog_name", "schema_name"),
    "databricks_pipeline": ("catalog", "storage"),
    "databricks_repo": ("url", "path"),
    "databricks_secret_scope": ("name", "backend_type", "keyvault_metadata"),
    "databricks_directory": ("path",),
    "databricks_workspace_file": ("path",),
    "databricks_user": ("user_name",),
    "databricks_service_principal": ("application_id",),
}


@dataclass(frozen=True)
class ResourceChange:
    stack: str
    address: str
    action: Action
    before: Optional[dict] = None
    after: Optional[dict] = None
    fields: tuple[FieldChange, ...] = ()
    replaced_by: tuple[str, ...] = ()  # the fields that force a replacement
    label: Optional[str] = None  # how a reviewer knows it (an ACL: by the object it protects)

    @property
    def rtype(self) -> str:
        return self.address.split(".", 1)[0]

    @property
    def kind(self) -> str:
        """The stack's kind (workspace in prod-workspace): the same kind in two environments
        holds the same resources."""
        return self.stack.split("-", 1)[-1]

    @property
    def environment(self) -> str:
        return self.stack.split("-", 1)[0]

    @property
    def name(self) -> str:
        return self.label or display_name(self.address, self.after or self.before or {})


@dataclass
class ChangeSet:
    source: str  # "synth" or "plan"
    changes: list[ResourceChange] = field(default_factory=list)

    def by_stack(self) -> dict[str, list[ResourceChange]]:
        out: dict[str, list[ResourceChange]] = {}
        for change in sorted(self.changes, key=lambda c: (c.stack, c.rtype, c.name, c.address)):
            out.setdefault(change.stack, []).append(change)
        return out


def _force_new(rtype: str, fields: tuple[FieldChange, ...]) -> tuple[str, ...]:
    attrs = FORCE_NEW.get(rtype, ())
    return tuple(sorted({f.path for f in fields for a in attrs if f.path == a or f.path.startswith(a + ".")}))


def compare_synth(base: dict[str, Resources], head: dict[str, Resources]) -> ChangeSet:
    changes = ChangeSet("synth")
    for stack in sorted(set(base) | set(head)):
        before, after = base.get(stack, {}), head.get(stack, {})
        name_before, name_after = Namer(before), Namer(after)
        for address in sorted(set(before) | set(after)):
            old, new = before.get(address), after.get(address)
            label = name_after(address, new) if new is not None else name_before(address, old)
            if old is None:
                changes.changes.append(ResourceChange(stack, address, "create", None, new, label=label))
            elif new is None:
                changes.changes.append(ResourceChange(stack, address, "delete", old, None, label=label))
            else:
                fields = tuple(diff(old, new))
                if fields:
                    forced = _force_new(address.split(".", 1)[0], fields)
                    changes.changes.append(ResourceChange(stack, address, "replace" if forced else "update",
                                                          old, new, fields, forced, label))
    return changes


def _without_nulls(value: Any) -> Any:
    """Plans list every schema attribute, unset ones as null; synth output leaves them out."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def from_plan(plan: dict, stack: str) -> ChangeSet:
    """Changes of one stack from `terraform show -json plan.out` (managed resources only)."""
    changes = ChangeSet("plan")
    targets = plan_targets(plan)
    name_before = Namer(_state_resources(plan.get("prior_state", {})), targets)
    name_after = Namer(_state_resources(plan.get("planned_values", {})), targets)
    for rc in plan.get("resource_changes", []):
        if rc.get("mode") != "managed":
            continue
        actions = rc["change"]["actions"]
        if actions == ["no-op"] or actions == ["read"]:
            continue
        action: Action = ("replace" if set(actions) == {"create", "delete"} else
                          "create" if actions == ["create"] else "delete" if actions == ["delete"] else "update")
        before, after = _without_nulls(rc["change"].get("before")), _without_nulls(rc["change"].get("after"))
        fields = tuple(diff(before or {}, after or {})) if action in ("update", "replace") else ()
        forced = tuple(".".join(str(p) for p in path) for path in rc["change"].get("replace_paths", []) or [])
        label = name_after(rc["address"], after) if after else name_before(rc["address"], before or {})
        changes.changes.append(ResourceChange(stack, rc["address"], action, before, after, fields, forced, label))
    return changes


def _state_resources(state: dict) -> Resources:
    """Managed resources of a plan's prior state or planned values: address -> values."""
    values = state.get("values", state)  # prior_state wraps its values; planned_values does not
    return {r["address"]: _without_nulls(r.get("values") or {})
            for r in values.get("root_module", {}).get("resources", []) if r.get("mode", "managed") == "managed"}
