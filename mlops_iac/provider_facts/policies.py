"""Facts about cluster policy definitions: rule types and their fields, the virtual attributes,
the attribute paths a policy may limit, and the built-in policy families this tool knows.

Rule semantics follow Databricks' compute policy reference
(https://learn.microsoft.com/azure/databricks/admin/clusters/policy-definition). The attribute
paths come from the cluster block of the pinned provider schema, so they follow the provider.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional

from .specs import resource_schema

FAMILIES_DIR = Path(__file__).with_name("policy_families")

RULE_TYPES = ("fixed", "forbidden", "allowlist", "blocklist", "regex", "range", "unlimited")

# Fields a rule of each type needs, and the fields it may carry besides 'type'.
RULE_REQUIRES: dict[str, tuple[str, ...]] = {
    "fixed": ("value",), "allowlist": ("values",), "blocklist": ("values",), "regex": ("pattern",),
}
COMMON_FIELDS = ("type", "hidden", "isOptional", "defaultValue")
RULE_FIELDS: dict[str, tuple[str, ...]] = {
    "fixed": ("type", "value", "hidden"),
    "forbidden": ("type", "hidden"),
    "allowlist": COMMON_FIELDS + ("values",),
    "blocklist": COMMON_FIELDS + ("values",),
    "regex": COMMON_FIELDS + ("pattern",),
    "range": COMMON_FIELDS + ("minValue", "maxValue"),
    "unlimited": COMMON_FIELDS,
}

# Virtual attributes: not part of the cluster spec, derived by Databricks.
CLUSTER_TYPES = ("all-purpose", "job", "dlt")
VIRTUAL_ATTRIBUTES = {"cluster_type": "string", "dbus_per_hour": "number"}

# Documented policy paths that the job cluster block of the provider does not have (all-purpose
# clusters only, or policy shorthands).
EXTRA_ATTRIBUTES = {"autotermination_minutes": "number", "cluster_log_conf.type": "string",
                    "cluster_log_conf.path": "string"}

# Maps whose keys are free (custom_tags.<tag>, spark_conf.<key>, spark_env_vars.<name>).
MAP_ATTRIBUTES = ("custom_tags", "spark_conf", "spark_env_vars")


@lru_cache(maxsize=1)
def cluster_attribute_types() -> dict[str, str]:
    """Dotted attribute path -> 'string' | 'number' | 'bool' | 'map' | 'list' for every attribute a
    policy may limit, read from the job cluster block of the provider schema."""
    job = resource_schema("databricks_job")
    block = job["blocks"]["job_cluster"]["block"]["blocks"]["new_cluster"]["block"]
    out: dict[str, str] = {**VIRTUAL_ATTRIBUTES, **EXTRA_ATTRIBUTES}

    def walk(schema: Mapping[str, Any], prefix: str) -> None:
        for name, spec in schema["attributes"].items():
            if name.startswith("__") or spec.get("computed_only"):
                continue
            kind = spec["type"]
            out[prefix + name] = kind if isinstance(kind, str) else ("map" if kind[0] == "map" else "list")
        for name, spec in schema["blocks"].items():
            multi = spec["nesting"] != "single" and spec.get("max_items") != 1
            walk(spec["block"], prefix + name + (".*." if multi else "."))

    walk(block, "")
    return out


def attribute_type(path: str) -> Optional[str]:
    """The type of a policy attribute path (numeric list indexes match '*'), or None if unknown."""
    head = path.split(".", 1)[0]
    if head in MAP_ATTRIBUTES:
        return "string" if "." in path and path.split(".", 1)[1] else None
    parts = ["*" if part.isdigit() else part for part in path.split(".")]
    return cluster_attribute_types().get(".".join(parts))


@lru_cache(maxsize=None)
def family_definition(family_id: str) -> Optional[dict[str, Any]]:
    """The definition of a built-in policy family this tool ships, or None when unknown."""
    path = FAMILIES_DIR / f"{family_id}.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))["definition"]


def known_families() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in FAMILIES_DIR.glob("*.json")))
