"""Name access resources by what they protect, as a reviewer knows it: "ACL of job
prodfix-churn-model-train", not the construct id "project-churn_job-model-train".

An ACL points at its object by a reference within its stack (`job_id: ${databricks_job.<id>.id}`
in synth output). A plan holds resolved ids instead; there the target comes from the plan's
configuration (its expressions keep the references) or, for a resource the configuration no
longer has (a delete), from the prior state's `depends_on`.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from .resources import Resources, display_name

# The attribute an access resource points with -> (what a reviewer calls the object, its types).
PROTECTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "job_id": ("job", ("databricks_job",)),
    "pipeline_id": ("pipeline", ("databricks_pipeline",)),
    "experiment_id": ("experiment", ("databricks_mlflow_experiment",)),
    "registered_model_id": ("model", ("databricks_mlflow_model",)),
    "cluster_policy_id": ("cluster policy", ("databricks_cluster_policy",)),
    "cluster_id": ("cluster", ("databricks_cluster",)),
    "instance_pool_id": ("instance pool", ("databricks_instance_pool",)),
    "repo_id": ("git folder", ("databricks_repo",)),
    "repo_path": ("git folder", ("databricks_repo",)),
    "directory_id": ("folder", ("databricks_directory",)),
    "directory_path": ("folder", ("databricks_directory",)),
    "notebook_id": ("notebook", ("databricks_notebook",)),
    "notebook_path": ("notebook", ("databricks_notebook",)),
    "workspace_file_id": ("workspace file", ("databricks_workspace_file",)),
    "workspace_file_path": ("workspace file", ("databricks_workspace_file",)),
    "serving_endpoint_id": ("serving endpoint", ("databricks_model_serving",)),
    "sql_endpoint_id": ("SQL warehouse", ("databricks_sql_endpoint",)),
    # Unity Catalog grants name their securable by its full name (or a reference to it).
    "model": ("model", ("databricks_registered_model",)),
    "catalog": ("catalog", ("databricks_catalog",)),
    "schema": ("schema", ("databricks_schema",)),
    "volume": ("volume", ("databricks_volume",)),
    "table": ("table", ("databricks_sql_table",)),
    "external_location": ("external location", ("databricks_external_location",)),
    "storage_credential": ("storage credential", ("databricks_storage_credential",)),
    "authorization": ("authorization", ()),  # workspace-wide: tokens or passwords
}
ACCESS_TYPES = ("databricks_permissions", "databricks_grants")
REFERENCE = re.compile(r"^\$\{((?:data\.)?[a-z0-9_]+\.[^.}]+)\.[a-z_]+\}$")
INTERPOLATION = re.compile(r"\$\{([a-z0-9_]+\.[^.}]+)\.([a-z_]+)\}")
# Attributes whose literal value reads as a name (paths, Unity Catalog names); the others hold ids
# as Databricks hands them out, which name nothing a reviewer recognizes.
READABLE_ATTRIBUTES = {"repo_path", "directory_path", "notebook_path", "workspace_file_path", "model", "catalog",
                       "schema", "volume", "table", "external_location", "storage_credential", "authorization",
                       "scope"}


class Namer:
    """Display names of one side (before or after) of one stack."""

    def __init__(self, resources: Resources, targets: Optional[dict[tuple[str, str], str]] = None):
        self.resources = resources
        self.targets = targets or {}  # (address, attribute) -> target address, from a plan

    def __call__(self, address: str, config: dict) -> str:
        rtype = address.split(".", 1)[0]
        if rtype in ACCESS_TYPES:
            protected = self._protected(address, config)
            if protected:
                return f"ACL of {protected}"
        if rtype == "databricks_secret_acl":
            scope = self._name_of(address, "scope", config.get("scope"), ("databricks_secret_scope",))
            if scope and config.get("principal"):
                return f"secret ACL of scope {scope} for {config['principal']}"
        if rtype == "databricks_group_member":
            group = self._name_of(address, "group_id", config.get("group_id"), ("databricks_group",))
            member = self._name_of(address, "member_id", config.get("member_id"),
                                   ("databricks_user", "databricks_service_principal", "databricks_group"))
            if group and member:
                return f"{member} in group {group}"
        return display_name(address, self._interpolated(config))

    def _protected(self, address: str, config: dict) -> Optional[str]:
        for attribute, (noun, types) in PROTECTED.items():
            if attribute in config:
                name = self._name_of(address, attribute, config[attribute], types)
                return f"{noun} {name}" if name else None
        return None

    def _interpolated(self, config: dict) -> dict:
        """Top-level strings with references to literal attributes of the stack filled in, e.g. an
        experiment named `${databricks_directory.<id>.path}/training`."""
        return {key: INTERPOLATION.sub(lambda found: _literal(self.resources, found), value)
                if isinstance(value, str) else value for key, value in config.items()}

    def _name_of(self, address: str, attribute: str, value: Any, types: tuple[str, ...]) -> Optional[str]:
        """The display name of the resource ``value`` refers to, or the value when it reads as a name."""
        found = REFERENCE.match(value) if isinstance(value, str) else None
        target = found.group(1) if found else self.targets.get((address, attribute))
        if target and target in self.resources and target.split(".", 1)[0] in types:
            config = self._interpolated(self.resources[target])
            if target.startswith("databricks_user.") and isinstance(config.get("user_name"), str):
                return config["user_name"]  # the sign-in, not the display name two people may share
            return display_name(target, config)
        if isinstance(value, str) and "${" not in value and attribute in READABLE_ATTRIBUTES:
            return value
        return None


PLAN_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    **{attribute: types for attribute, (_, types) in PROTECTED.items()},
    "scope": ("databricks_secret_scope",), "group_id": ("databricks_group",),
}
MEMBER_TYPES = ("databricks_user", "databricks_service_principal", "databricks_group")


def _literal(resources: Resources, found: re.Match) -> str:
    value = resources.get(found.group(1), {}).get(found.group(2))
    return value if isinstance(value, str) and "${" not in value else found.group(0)


def plan_targets(plan: dict) -> dict[tuple[str, str], str]:
    """(address, attribute) -> referenced address, for the access resources of a plan."""
    targets: dict[tuple[str, str], str] = {}
    for resource in plan.get("prior_state", {}).get("values", {}).get("root_module", {}).get("resources", []):
        values, address = resource.get("values") or {}, resource["address"]
        depends = resource.get("depends_on", [])
        for attribute, types in PLAN_ATTRIBUTES.items():
            candidates = [d for d in depends if d.split(".", 1)[0] in types]
            if attribute in values and len(candidates) == 1:
                targets[(address, attribute)] = candidates[0]
        if "member_id" in values:  # a member may itself be a group: not the group it joins
            members = [d for d in depends if d.split(".", 1)[0] in MEMBER_TYPES
                       and d != targets.get((address, "group_id"))]
            if len(members) == 1:
                targets[(address, "member_id")] = members[0]
    for resource in plan.get("configuration", {}).get("root_module", {}).get("resources", []):
        for attribute, expression in (resource.get("expressions") or {}).items():
            references = expression.get("references", []) if isinstance(expression, dict) else []
            whole = [r for r in references if r.count(".") == (2 if r.startswith("data.") else 1)]
            if attribute in PLAN_ATTRIBUTES or attribute == "member_id":
                if len(whole) == 1:
                    targets[(resource["address"], attribute)] = whole[0]
    return targets
