"""A secret scope backed by an Azure Key Vault, with secret ACLs.

Secret values never pass through Terraform: they are written to the Key Vault out of band and
read by clusters through the scope. Creating the scope needs an Entra ID identity (the deployer),
not a personal access token.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from constructs import Construct

from mlops_iac.provider_facts import SECRET_ACL_LEVELS

from .permissions import AccessGrant
from .provider import databricks_resource


@dataclass(frozen=True)
class KeyVaultSecretScopeProps:
    name: str
    key_vault_resource_id: str
    key_vault_dns_name: str  # the vault URI, https://<name>.vault.azure.net/
    acls: Sequence[AccessGrant] = ()  # READ / WRITE / MANAGE per principal


class KeyVaultSecretScope(Construct):
    """ACL construct ids are ``acl-<label or principal>``: one per principal, never by position."""

    def __init__(self, scope: Construct, id: str, props: KeyVaultSecretScopeProps) -> None:
        super().__init__(scope, id)
        bad = [g for g in props.acls if g.level not in SECRET_ACL_LEVELS]
        names = [g.principal_name for g in props.acls]
        if bad or len(set(names)) != len(names):
            raise ValueError(f"{self.node.path}: secret ACLs need one of {', '.join(SECRET_ACL_LEVELS)} "
                             "once per principal")
        self.resource = databricks_resource(self, "scope", "databricks_secret_scope", dict(
            name=props.name, backend_type="AZURE_KEYVAULT",
            keyvault_metadata={"resource_id": props.key_vault_resource_id, "dns_name": props.key_vault_dns_name}))
        for grant in sorted(props.acls):
            databricks_resource(self, f"acl-{grant.label or grant.principal_name}", "databricks_secret_acl", dict(
                scope=self.scope_name, principal=grant.principal_name, permission=grant.level))

    @property
    def scope_name(self) -> str:
        return self.resource.attribute("name")
