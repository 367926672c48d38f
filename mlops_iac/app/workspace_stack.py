"""Workspace-level configuration of one environment (databricks provider bound to its workspace).

Kept apart from the platform stack: a provider configured from a workspace created in the same
Terraform configuration cannot plan before the workspace exists (provider issue #5304).
"""
from __future__ import annotations

from typing import Optional

from cdktf import TerraformStack
from constructs import Construct

from constructs_lib.azure import IKeyVault, IWorkspace
from constructs_lib.databricks import WorkspaceFolder, WorkspaceFolderProps, bind_workspace_provider
from mlops_iac.config.access_model import ResolvedAccess
from mlops_iac.config.model import EnvironmentConfig

from .backends import configure_backend
from .governance import Governance, acl, environment_folder
from .naming import WORKSPACE, stack_id
from .projects import build_projects


class WorkspaceStack(TerraformStack):
    def __init__(self, scope: Construct, env: EnvironmentConfig, workspace: IWorkspace,
                 key_vault: Optional[IKeyVault] = None) -> None:
        id = stack_id(env.name, WORKSPACE)
        super().__init__(scope, id)
        configure_backend(self, env.state, id)
        bind_workspace_provider(self, workspace)
        self.governance = Governance(self, "governance", env, key_vault)
        access = env.access or ResolvedAccess()
        self.environment_folder = WorkspaceFolder(
            self, "environment-folder",
            WorkspaceFolderProps(path=environment_folder(env),
                                 access=acl(self.governance.identity, access.grants("directory"))))
        self.projects = build_projects(self, env, self.governance)
