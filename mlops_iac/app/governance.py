"""Workspace governance of one environment: identities, folder ACL, init scripts, cluster
policies, shared clusters and the Key Vault-backed secret scope.

Maps the typed model to construct props; all validation happened in the loader, the constructs
re-check what they own.
"""
from __future__ import annotations

from typing import Optional, Sequence

from constructs import Construct

from constructs_lib.azure import IKeyVault
from constructs_lib.databricks import (
    AccessGrant, ClusterPolicy, ClusterPolicyProps, EntitlementsSpec, GroupSpec, InitScript, InitScriptProps,
    InteractiveCluster, InteractiveClusterProps, KeyVaultSecretScope, KeyVaultSecretScopeProps, LibraryProps,
    ServicePrincipalSpec, UserSpec, WorkspaceIdentity, WorkspaceIdentityProps,
)
from mlops_iac.config.access_model import Grant, ResolvedAccess
from mlops_iac.config.governance_model import Entitlements, LibrarySpec
from mlops_iac.config.compute import policy_fixed_tags, policy_name
from mlops_iac.config.model import EnvironmentConfig


def environment_folder(env: EnvironmentConfig) -> str:
    return f"{env.workspace.root_folder}/{env.name}"


def _entitlements(ents: Optional[Entitlements]) -> Optional[EntitlementsSpec]:
    return ents and EntitlementsSpec(**ents.__dict__)


def identity_props(env: EnvironmentConfig) -> WorkspaceIdentityProps:
    return WorkspaceIdentityProps(
        users=[UserSpec(name, u.display_name, u.external, _entitlements(u.entitlements))
               for name, u in env.users.items()],
        service_principals=[ServicePrincipalSpec(key, sp.application_id, sp.display_name, sp.external,
                                                 _entitlements(sp.entitlements))
                            for key, sp in env.service_principals.items()],
        groups=[GroupSpec(key, g.display_name or key, g.external, g.users, g.service_principals, g.groups,
                          _entitlements(g.entitlements), g.manage_builtin_entitlements)
                for key, g in env.groups.items()],
    )


def acl(identity: WorkspaceIdentity, grants: Sequence[Grant]) -> list[AccessGrant]:
    return [identity.grant(g.principal.kind, g.principal.name, g.level) for g in grants]


def _library(spec: LibrarySpec) -> LibraryProps:
    return LibraryProps(
        pypi_package=spec.pypi and spec.pypi.package, pypi_repo=spec.pypi and spec.pypi.repo,
        maven_coordinates=spec.maven and spec.maven.coordinates, maven_repo=spec.maven and spec.maven.repo,
        maven_exclusions=spec.maven.exclusions if spec.maven else (),
        whl=spec.whl, jar=spec.jar, requirements=spec.requirements)


class Governance(Construct):
    """Everything an environment's workspace is governed by; the policies by config key."""

    def __init__(self, scope: Construct, id: str, env: EnvironmentConfig,
                 key_vault: Optional[IKeyVault]) -> None:
        super().__init__(scope, id)
        access = env.access or ResolvedAccess()
        self.identity = WorkspaceIdentity(self, "identity", identity_props(env))
        folder = environment_folder(env)

        scripts = Construct(self, "init-scripts")
        script_paths = {
            name: InitScript(scripts, name, InitScriptProps(f"{folder}/init_scripts/{name}.sh",
                                                            script.content or "")).workspace_path
            for name, script in sorted(env.init_scripts.items())
        }

        policies = Construct(self, "cluster-policies")
        self.policies: dict[str, ClusterPolicy] = {}
        for key, policy in sorted(env.cluster_policies.items()):
            self.policies[key] = ClusterPolicy(policies, key, ClusterPolicyProps(
                name=policy_name(env, key),
                definition=policy.definition if policy.family is None else None,
                policy_family_id=policy.family,
                family_overrides=policy.overrides,
                description=policy.description,
                max_clusters_per_user=policy.max_clusters_per_user,
                libraries=[_library(lib) for lib in policy.libraries],
                init_script_paths=[script_paths[s] for s in policy.init_scripts],
                access=acl(self.identity, access.grants("cluster_policy", policy.access)),
            ))

        clusters = Construct(self, "clusters")
        for name, cluster in sorted(env.clusters.items()):
            tags = {**cluster.custom_tags, **policy_fixed_tags(env, cluster.policy),
                    "environment": env.name, "managed_by": "mlops-iac"}
            InteractiveCluster(clusters, name, InteractiveClusterProps(
                cluster_name=f"{env.name}-{name}",
                spark_version=cluster.spark_version, node_type_id=cluster.node_type_id,
                policy_id=self.policies[cluster.policy].policy_id if cluster.policy else None,
                num_workers=cluster.num_workers,
                autoscale=cluster.autoscale and (cluster.autoscale.min_workers, cluster.autoscale.max_workers),
                autotermination_minutes=cluster.autotermination_minutes,
                data_security_mode=cluster.data_security_mode, single_user_name=cluster.single_user_name,
                init_script_paths=[script_paths[s] for s in cluster.init_scripts],
                spark_conf=cluster.spark_conf, custom_tags=tags,
                access=acl(self.identity, access.grants("cluster", cluster.access)),
            ))

        self.secret_scope: Optional[KeyVaultSecretScope] = None
        if key_vault is not None and env.secret_scope is not None:
            self.secret_scope = KeyVaultSecretScope(self, "secret-scope", KeyVaultSecretScopeProps(
                name=env.secret_scope.name, key_vault_resource_id=key_vault.key_vault_id,
                key_vault_dns_name=key_vault.key_vault_uri,
                acls=acl(self.identity, access.grants("secret_scope"))))

    def job_compute_policy(self, env: EnvironmentConfig) -> Optional[ClusterPolicy]:
        keys = [k for k, p in sorted(env.cluster_policies.items()) if p.purpose == "job"]
        return self.policies[keys[0]] if keys else None
