"""The access matrix resolved for one environment: who gets which level on which asset kind."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Mapping, Optional

PrincipalKind = Literal["group", "service_principal", "user"]

# The level that withholds access: in an object's `access:` override (where null would only remove
# the override, as null does in every environment file) and, like null, in the matrix.
NO_ACCESS = "NONE"


@dataclass(frozen=True, order=True)
class PrincipalRef:
    kind: PrincipalKind
    name: str  # the key in the environment's groups / service_principals / users


@dataclass(frozen=True, order=True)
class Grant:
    principal: PrincipalRef
    level: str
    role: str


@dataclass(frozen=True)
class ResolvedAccess:
    roles: Mapping[str, PrincipalRef] = field(default_factory=dict)  # role -> principal here
    by_kind: Mapping[str, tuple[Grant, ...]] = field(default_factory=dict)

    def grants(self, kind: str, overrides: Mapping[str, Optional[str]] | None = None) -> tuple[Grant, ...]:
        """The matrix's grants for an asset kind, with an object's own role overrides applied.

        Sorted by principal, so reordering YAML never reorders the synthesized ACL.
        """
        by_role = {grant.role: grant for grant in self.by_kind.get(kind, ())}
        for role, level in (overrides or {}).items():
            if level is None or level == NO_ACCESS:
                by_role.pop(role, None)
            elif role in self.roles:
                by_role[role] = Grant(self.roles[role], level, role)
        return tuple(sorted(by_role.values()))
