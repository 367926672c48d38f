"""A Databricks Asset Bundle `permissions:` block in a spec: rejected, with the access-matrix entry to
write instead.

Access to every job and pipeline comes from envs/access.yaml (role x asset kind x environment), so
Prod stays view-only for humans whatever a copied spec says; a spec-level grant would bypass that
per environment and drift from the matrix. Each entry is reported at its line, naming the role that
already plays the principal (or the role to declare) and the level for this environment.
"""
from __future__ import annotations

from typing import Iterator, Optional

from mlops_iac.provider_facts import PERMISSION_LEVELS

from ..diagnostics import Diagnostic, closest
from ..located import LMap, LScalar
from ..model import EnvironmentConfig
from .job_rules import _get, _items, _text

PRINCIPAL_FIELDS = {"group_name": "group", "user_name": "user", "service_principal_name": "service_principal"}


def _principal_key(env: EnvironmentConfig, field: str, name: str) -> Optional[str]:
    """The environment's key for a principal named as the API names it."""
    if field == "group_name":
        return next((k for k, g in env.groups.items() if name in (k, g.display_name)), None)
    if field == "service_principal_name":
        return next((k for k, sp in env.service_principals.items() if sp.application_id == name or k == name), None)
    return name if name in env.users else None


def _role_for(env: EnvironmentConfig, kind: str, key: Optional[str]) -> Optional[str]:
    roles = env.access.roles if env.access is not None else {}
    return next((role for role, principal in sorted(roles.items())
                 if key is not None and principal.kind == kind and principal.name == key), None)


def permissions_block(spec: LMap, kind: str, env: EnvironmentConfig) -> Iterator[Diagnostic]:
    entry = spec.entries.get("permissions")
    if entry is None:
        return
    asset = "pipeline" if kind == "pipeline" else "job"
    levels = PERMISSION_LEVELS[asset]
    items = _items(entry.value)
    if not items:
        yield Diagnostic(entry.key_loc, "permissions", "a bundle permissions block is not applied here",
                         f"access from envs/access.yaml: matrix.<role>.{asset}")
    for i, item in enumerate(items):
        level = _text(_get(item, "level")) or "<LEVEL>"
        if level not in levels:
            level_hint = closest(level, levels) or "<LEVEL>"
        else:
            level_hint = level
        given = [(f, _get(item, f)) for f in PRINCIPAL_FIELDS if isinstance(item, LMap) and f in item.entries]
        field, node = given[0] if given else ("group_name", None)
        name = str(node.value) if isinstance(node, LScalar) else "<name>"
        principal_kind = PRINCIPAL_FIELDS[field]
        key = _principal_key(env, field, name)
        role = _role_for(env, principal_kind, key)
        # One level for every environment, as the bundle gave it; the same advice whichever
        # environment found it, so it is reported once (narrow it per environment in the matrix).
        cell = f"matrix.{role or '<role>'}.{asset}: {level_hint}"
        if role is None:
            declare = f"roles.<role>: {{{principal_kind}: {key or name}}}"
            where = f"envs/access.yaml: {declare} and {cell}"
        else:
            where = f"envs/access.yaml: {cell}"
        yield Diagnostic(item.loc, f"permissions[{i}]",
                         f"bundle permissions are not applied: access to every {asset} comes from the access matrix "
                         f"({field} {name}, {level})", where)
