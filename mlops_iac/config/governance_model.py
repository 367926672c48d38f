"""Typed model of workspace governance: identities, compute policies, the access matrix.

Part of the environment model (model.py); the access matrix lives in its own file,
envs/access.yaml, because it spans environments: roles x asset kinds x environment -> level.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Optional, Union

from .fields import setting

GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"
NAME = r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}"
NAME_RULE = "1-100 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit"


@dataclass(frozen=True)
class Entitlements:
    workspace_access: Optional[bool] = setting("Use the workspace UI and APIs. Left out: not managed.",
                                               default=None)
    databricks_sql_access: Optional[bool] = setting("Use Databricks SQL. Left out: not managed.", default=None)
    allow_cluster_create: Optional[bool] = setting(
        "Create clusters without a policy (unrestricted). Left out: not managed.", default=None)
    allow_instance_pool_create: Optional[bool] = setting(
        "Create instance pools. Left out: not managed.", default=None)


@dataclass(frozen=True)
class UserConfig:
    display_name: Optional[str] = setting("Display name. Left out: Databricks derives it.", default=None)
    external: bool = setting(
        "Managed elsewhere (SCIM from Entra ID): looked up by user name, never created or deleted here.",
        default=False)
    entitlements: Optional[Entitlements] = setting("Entitlements of this user.", default=None)


@dataclass(frozen=True)
class ServicePrincipalConfig:
    application_id: str = setting("Entra ID application (client) id.", pattern=GUID,
                                  expected="an application id (GUID)")
    display_name: Optional[str] = setting("Display name. Left out: the key.", default=None)
    external: bool = setting(
        "Managed elsewhere: looked up by application id, never created or deleted here. The "
        "deployer usually is: it is the identity that runs Terraform.", default=False)
    entitlements: Optional[Entitlements] = setting("Entitlements of this service principal.", default=None)


@dataclass(frozen=True)
class GroupConfig:
    display_name: Optional[str] = setting("Name in the workspace. Left out: the key.", default=None,
                                          pattern=NAME, expected=NAME_RULE)
    external: bool = setting(
        "Synced from Entra ID (SCIM): looked up by name; its members are managed there. The "
        "built-in 'users' and 'admins' groups are always external.", default=False)
    users: tuple[str, ...] = setting("Member users: keys of 'users'.", default=(), unique=True)
    service_principals: tuple[str, ...] = setting(
        "Member service principals: keys of 'service_principals'.", default=(), unique=True)
    groups: tuple[str, ...] = setting("Nested member groups: keys of 'groups'.", default=(), unique=True)
    entitlements: Optional[Entitlements] = setting("Entitlements every member gets.", default=None)
    manage_builtin_entitlements: bool = setting(
        "Allow entitlements on the built-in 'users' or 'admins' group (a known drift source, so "
        "off unless asked).", default=False)


@dataclass(frozen=True)
class PypiLibrary:
    package: str = setting("Package spec, e.g. churn-features==1.2.0.", min_len=1)
    repo: Optional[str] = setting("Index URL. Left out: PyPI or the workspace default.", default=None)


@dataclass(frozen=True)
class MavenLibrary:
    coordinates: str = setting("group:artifact:version.", pattern=r"[^:\s]+:[^:\s]+:[^:\s]+",
                               expected="group:artifact:version")
    repo: Optional[str] = setting("Repository URL. Left out: Maven Central.", default=None)
    exclusions: tuple[str, ...] = setting("group:artifact to exclude.", default=())


@dataclass(frozen=True)
class LibrarySpec:
    pypi: Optional[PypiLibrary] = setting("A PyPI package.", default=None)
    maven: Optional[MavenLibrary] = setting("A Maven artifact.", default=None)
    whl: Optional[str] = setting("Workspace or volume path of a wheel.", default=None,
                                 pattern=r"/(Workspace|Volumes)/.+\.whl", expected="/Workspace/... or /Volumes/... ending in .whl")
    jar: Optional[str] = setting("Workspace or volume path of a jar.", default=None,
                                 pattern=r"/(Workspace|Volumes)/.+\.jar", expected="/Workspace/... or /Volumes/... ending in .jar")
    requirements: Optional[str] = setting("Workspace or volume path of a requirements.txt.", default=None,
                                          pattern=r"/(Workspace|Volumes)/.+", expected="/Workspace/... or /Volumes/...")


AccessOverrides = dict[str, str]  # role -> level, or NONE to withhold the matrix's level


@dataclass(frozen=True)
class ClusterPolicyConfig:
    purpose: Literal["job", "pipeline", "interactive", "personal"] = setting(
        "job: the policy every job cluster gets; pipeline: the policy every DLT pipeline cluster "
        "gets (fixes cluster_type to dlt); interactive: shared clusters; personal: single-user "
        "personal compute (not allowed in production).", default="interactive")
    name: Optional[str] = setting("Policy name in the workspace (unique, 1-100 characters). "
                                  "Left out: '<environment>-<key>'.", default=None, min_len=1, max_len=200)
    description: Optional[str] = setting("Shown to users who pick the policy.", default=None)
    definition: Optional[dict[str, Any]] = setting(
        "Policy definition (attribute path -> rule), emitted as canonical JSON.", default=None)
    definition_file: Optional[str] = setting(
        "JSON file with the definition, relative to the project root.", default=None,
        pattern=r"[^/].*\.json", expected="a relative path to a .json file")
    family: Optional[str] = setting(
        "Policy family id instead of a definition, e.g. personal-vm, job-cluster.", default=None,
        pattern=r"[a-z0-9-]+", expected="a policy family id such as personal-vm")
    overrides: Optional[dict[str, Any]] = setting(
        "With 'family': rules that override the family's definition.", default=None)
    max_clusters_per_user: Optional[int] = setting(
        "Clusters one user may create with this policy. Left out: no limit.", default=None, minimum=1)
    libraries: tuple[LibrarySpec, ...] = setting(
        "Libraries installed on every cluster that uses the policy.", default=())
    init_scripts: tuple[str, ...] = setting(
        "Init scripts (keys of 'init_scripts') fixed on every cluster that uses the policy.",
        default=(), unique=True)
    access: AccessOverrides = setting(
        "Per-policy override of the access matrix: role -> CAN_USE, or NONE to withhold it.",
        default_factory=dict)


@dataclass(frozen=True)
class InitScriptConfig:
    file: str = setting("Shell script, relative to the project root, uploaded as a workspace file.",
                        pattern=r"[^/].*\.sh", expected="a relative path to a .sh file")
    content: Optional[str] = setting("Read from 'file' by the loader.", default=None, derived=True)


@dataclass(frozen=True)
class AutoscaleConfig:
    min_workers: int = setting("Fewest workers.", minimum=0)
    max_workers: int = setting("Most workers.", minimum=1)


@dataclass(frozen=True)
class ClusterConfig:
    spark_version: str = setting("Databricks Runtime, e.g. 15.4.x-cpu-ml-scala2.12.",
                                 pattern=r"[0-9]+\.[0-9x]+\.x-[a-z0-9-]+(-scala[0-9.]+)?",
                                 expected="a runtime key such as 15.4.x-cpu-ml-scala2.12")
    node_type_id: str = setting("VM size, e.g. Standard_DS3_v2.", pattern=r"Standard_[A-Za-z0-9_]+",
                                expected="an Azure VM size such as Standard_DS3_v2")
    policy: Optional[str] = setting("Cluster policy (key of 'cluster_policies').", default=None)
    num_workers: Optional[int] = setting("Fixed size. Leave out with autoscale.", default=None, minimum=0)
    autoscale: Optional[AutoscaleConfig] = setting("Autoscaling range instead of num_workers.", default=None)
    autotermination_minutes: int = setting("Idle minutes before the cluster stops (10-43200).",
                                           default=60)
    data_security_mode: str = setting("Access mode: USER_ISOLATION (shared), SINGLE_USER or NONE.",
                                      default="USER_ISOLATION")
    single_user_name: Optional[str] = setting("With SINGLE_USER: the user or application id.", default=None)
    init_scripts: tuple[str, ...] = setting("Init scripts (keys of 'init_scripts').", default=(), unique=True)
    spark_conf: dict[str, str] = setting("Spark configuration.", default_factory=dict)
    custom_tags: dict[str, str] = setting("Tags on the cluster's VMs (besides the environment's).",
                                          default_factory=dict)
    access: AccessOverrides = setting("Per-cluster override of the access matrix: role -> level, or NONE.",
                                      default_factory=dict)


@dataclass(frozen=True)
class SecretScopeConfig:
    name: str = setting("Scope name, backed by the environment's Key Vault.", default="mlops",
                        pattern=r"[A-Za-z0-9_.-]{1,128}", expected="1-128 letters, digits, '_', '.', '-'")


# --- envs/access.yaml ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RoleConfig:
    description: Optional[str] = setting("What the role is for.", default=None)
    group: Optional[str] = setting("The group that plays the role (key of 'groups').", default=None)
    service_principal: Optional[str] = setting("The service principal that plays the role.", default=None)
    user: Optional[str] = setting("The user that plays the role.", default=None)
    deployer: bool = setting("The environment's deployer service principal plays the role.", default=False)


LevelByEnvironment = Union[str, dict[str, Optional[str]]]


@dataclass(frozen=True)
class AccessFile:
    roles: dict[str, RoleConfig] = setting("Role name -> who plays it in each environment.")
    matrix: dict[str, dict[str, LevelByEnvironment]] = setting(
        "Role -> asset kind -> level: one level for every environment, or a mapping of "
        "environment name, stage (development, staging, production) or 'default' to a level "
        "(null or NONE: no access).")


@dataclass(frozen=True)
class SuppressionConfig:
    rule: str = setting("Guardrail rule id, e.g. PROD-PRIVATE-WORKSPACE.", pattern=r"[A-Z0-9-]+",
                        expected="an upper-case rule id")
    reason: str = setting("Why the rule does not apply here; recorded in cdktf.out/guardrails.json.",
                          min_len=10, max_len=500)
    resource: Optional[str] = setting(
        "Construct path (e.g. project-churn/job-model-train) or Terraform address prefix. Left out: "
        "the whole environment.", default=None)


@dataclass(frozen=True)
class GuardrailsConfig:
    suppressions: tuple[SuppressionConfig, ...] = setting(
        "Guardrail findings accepted on purpose, each with its reason.", default=())
