"""Valid permission levels per Databricks object type, weakest first.

Keys are the asset kinds of the access matrix. ``databricks_permissions`` takes the levels of
every kind but ``secret_scope`` (secret ACLs: READ, WRITE, MANAGE) and
``uc_registered_model`` (Unity Catalog grants).
"""
from __future__ import annotations

PERMISSION_LEVELS: dict[str, tuple[str, ...]] = {
    "experiment": ("CAN_READ", "CAN_EDIT", "CAN_MANAGE"),
    "registered_model": ("CAN_READ", "CAN_EDIT", "CAN_MANAGE_STAGING_VERSIONS",
                         "CAN_MANAGE_PRODUCTION_VERSIONS", "CAN_MANAGE"),
    "uc_registered_model": ("EXECUTE", "APPLY_TAG", "MANAGE", "ALL_PRIVILEGES"),
    "job": ("CAN_VIEW", "CAN_MANAGE_RUN", "CAN_MANAGE", "IS_OWNER"),
    "pipeline": ("CAN_VIEW", "CAN_RUN", "CAN_MANAGE", "IS_OWNER"),
    "cluster_policy": ("CAN_USE",),
    "cluster": ("CAN_ATTACH_TO", "CAN_RESTART", "CAN_MANAGE"),
    "directory": ("CAN_READ", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"),
    "repo": ("CAN_READ", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"),
    "secret_scope": ("READ", "WRITE", "MANAGE"),
    "serving_endpoint": ("CAN_VIEW", "CAN_QUERY", "CAN_MANAGE"),
}

SECRET_ACL_LEVELS = PERMISSION_LEVELS["secret_scope"]

ASSET_KINDS: tuple[str, ...] = tuple(PERMISSION_LEVELS)

# Objects that must have exactly one owner, a user or a service principal (never a group).
OWNER_KINDS: frozenset[str] = frozenset({"job", "pipeline"})

# What the deploying identity needs at least: Databricks refuses to lower the deployer below
# manage on what it deploys (apply-time error), so the matrix must not try.
DEPLOYER_LEVEL: dict[str, tuple[str, ...]] = {
    kind: tuple(level for level in levels if level in ("CAN_MANAGE", "IS_OWNER", "MANAGE", "CAN_USE",
                                                       "ALL_PRIVILEGES"))
    for kind, levels in PERMISSION_LEVELS.items()
}

# Built-in workspace groups: never created, never given object permissions (admins), and their
# entitlements are only managed when explicitly asked (a known source of perpetual drift).
BUILTIN_GROUPS: frozenset[str] = frozenset({"users", "admins"})

