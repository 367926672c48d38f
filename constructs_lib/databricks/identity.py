"""Users, service principals and groups of a workspace, group membership and entitlements.

Principals marked external are looked up (data sources) instead of created: they belong to Entra
ID SCIM sync or another team. The built-in 'users' and 'admins' groups are always looked up, and
their entitlements are only managed when explicitly asked (a known drift source).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from constructs import Construct

from mlops_iac.provider_facts import BUILTIN_GROUPS

from .permissions import AccessGrant, PrincipalType
from .provider import databricks_data, databricks_resource


@dataclass(frozen=True)
class EntitlementsSpec:
    """None leaves an entitlement unmanaged."""
    workspace_access: Optional[bool] = None
    databricks_sql_access: Optional[bool] = None
    allow_cluster_create: Optional[bool] = None
    allow_instance_pool_create: Optional[bool] = None

    def as_args(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class UserSpec:
    user_name: str
    display_name: Optional[str] = None
    external: bool = False  # look up instead of create
    entitlements: Optional[EntitlementsSpec] = None


@dataclass(frozen=True)
class ServicePrincipalSpec:
    key: str  # short name used in config and construct ids
    application_id: str
    display_name: Optional[str] = None
    external: bool = False
    entitlements: Optional[EntitlementsSpec] = None


@dataclass(frozen=True)
class GroupSpec:
    key: str
    display_name: str
    external: bool = False
    users: Sequence[str] = ()  # user names
    service_principals: Sequence[str] = ()  # ServicePrincipalSpec keys
    groups: Sequence[str] = ()  # GroupSpec keys (nested)
    entitlements: Optional[EntitlementsSpec] = None
    manage_builtin_entitlements: bool = False


@dataclass(frozen=True)
class WorkspaceIdentityProps:
    users: Sequence[UserSpec] = ()
    service_principals: Sequence[ServicePrincipalSpec] = ()
    groups: Sequence[GroupSpec] = ()


class WorkspaceIdentity(Construct):
    """Construct ids: ``user-<name>``, ``sp-<key>``, ``group-<key>``, ``member-<group>-<kind>-<name>``."""

    def __init__(self, scope: Construct, id: str, props: WorkspaceIdentityProps) -> None:
        super().__init__(scope, id)
        self._ids: dict[tuple[str, str], str] = {}
        self._acl_names: dict[tuple[str, str], str] = {}
        for user in sorted(props.users, key=lambda u: u.user_name):
            self._add_user(user)
        for sp in sorted(props.service_principals, key=lambda s: s.key):
            self._add_service_principal(sp)
        for group in sorted(props.groups, key=lambda g: g.key):
            self._add_group(group)
        for group in sorted(props.groups, key=lambda g: g.key):
            self._add_members(group)

    def _add_user(self, user: UserSpec) -> None:
        cid = f"user-{user.user_name}"
        ents = user.entitlements or EntitlementsSpec()
        if user.external:
            found = databricks_data(self, cid, "databricks_user", {"user_name": user.user_name})
            self._entitlements(cid, ents, user_id=found.attribute("id"))
            member_id = found.attribute("id")
        else:
            member_id = databricks_resource(self, cid, "databricks_user", dict(
                user_name=user.user_name, display_name=user.display_name, **ents.as_args())).attribute("id")
        self._register("user", user.user_name, member_id, user.user_name)

    def _add_service_principal(self, sp: ServicePrincipalSpec) -> None:
        cid = f"sp-{sp.key}"
        ents = sp.entitlements or EntitlementsSpec()
        if sp.external:
            found = databricks_data(self, cid, "databricks_service_principal", {"application_id": sp.application_id})
            self._entitlements(cid, ents, service_principal_id=found.attribute("id"))
            member_id = found.attribute("id")
        else:
            member_id = databricks_resource(self, cid, "databricks_service_principal", dict(
                application_id=sp.application_id, display_name=sp.display_name or sp.key,
                **ents.as_args())).attribute("id")
        self._register("service_principal", sp.key, member_id, sp.application_id)

    def _add_group(self, group: GroupSpec) -> None:
        cid = f"group-{group.key}"
        ents = group.entitlements or EntitlementsSpec()
        builtin = group.display_name in BUILTIN_GROUPS
        if group.external or builtin:
            found = databricks_data(self, cid, "databricks_group", {"display_name": group.display_name})
            if not builtin or group.manage_builtin_entitlements:
                self._entitlements(cid, ents, group_id=found.attribute("id"))
            member_id = found.attribute("id")
        else:
            member_id = databricks_resource(self, cid, "databricks_group", dict(
                display_name=group.display_name, **ents.as_args())).attribute("id")
        self._register("group", group.key, member_id, group.display_name)

    def _add_members(self, group: GroupSpec) -> None:
        group_id = self._ids[("group", group.key)]
        members = [("user", n) for n in group.users] + [("service_principal", n) for n in group.service_principals] \
            + [("group", n) for n in group.groups]
        for kind, name in sorted(members):
            databricks_resource(self, f"member-{group.key}-{kind}-{name}", "databricks_group_member",
                                {"group_id": group_id, "member_id": self._ids[(kind, name)]})

    def _entitlements(self, cid: str, ents: EntitlementsSpec, **principal) -> None:
        if ents.as_args():
            databricks_resource(self, f"{cid}-entitlements", "databricks_entitlements", {**principal, **ents.as_args()})

    def _register(self, kind: str, key: str, member_id: str, acl_name: str) -> None:
        self._ids[(kind, key)] = member_id
        self._acl_names[(kind, key)] = acl_name

    def principal_id(self, kind: PrincipalType, key: str) -> str:
        """The workspace id of a declared principal (a token)."""
        return self._ids[(kind, key)]

    def grant(self, kind: PrincipalType, key: str, level: str) -> AccessGrant:
        """An ACL entry for a declared principal: groups by name, service principals by
        application id, users by user name."""
        return AccessGrant(kind, self._acl_names[(kind, key)], level, f"{kind}-{key}")
