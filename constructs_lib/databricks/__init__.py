"""Databricks workspace-level constructs."""
from .cluster import InteractiveCluster, InteractiveClusterProps
from .cluster_policy import ClusterPolicy, ClusterPolicyProps, LibraryProps
from .identity import (
    EntitlementsSpec, GroupSpec, ServicePrincipalSpec, UserSpec, WorkspaceIdentity, WorkspaceIdentityProps,
)
from .init_script import InitScript, InitScriptProps
from .ml_assets import (
    CatalogModel, CatalogModelProps, Experiment, ExperimentProps, GitFolder, GitFolderProps, WorkspaceModel,
    WorkspaceModelProps,
)
from .ml_project import MlProject, MlProjectProps, ModelProps
from .refs import ObjectRef
from .spec_resources import SpecJob, SpecJobProps, SpecPipeline, SpecPipelineProps
from .permissions import AccessGrant, ObjectPermissions, PermissionsError, validate_grants
from .secret_scope import KeyVaultSecretScope, KeyVaultSecretScopeProps
from .workspace_binding import bind_workspace_provider
from .workspace_folder import WorkspaceFolder, WorkspaceFolderProps

__all__ = [
    "AccessGrant", "CatalogModel", "CatalogModelProps", "Experiment", "ExperimentProps", "GitFolder",
    "GitFolderProps", "MlProject", "MlProjectProps", "ModelProps", "ObjectRef", "SpecJob", "SpecJobProps",
    "SpecPipeline", "SpecPipelineProps", "WorkspaceModel", "WorkspaceModelProps", "ClusterPolicy", "ClusterPolicyProps", "EntitlementsSpec", "GroupSpec", "InitScript",
    "InitScriptProps", "InteractiveCluster", "InteractiveClusterProps", "KeyVaultSecretScope",
    "KeyVaultSecretScopeProps", "LibraryProps", "ObjectPermissions", "PermissionsError",
    "ServicePrincipalSpec", "UserSpec", "WorkspaceFolder", "WorkspaceFolderProps", "WorkspaceIdentity",
    "WorkspaceIdentityProps", "bind_workspace_provider", "validate_grants",
]
