"""Databricks workspace-level constructs."""
from .workspace_binding import bind_workspace_provider
from .workspace_folder import WorkspaceFolder, WorkspaceFolderProps

__all__ = ["WorkspaceFolder", "WorkspaceFolderProps", "bind_workspace_provider"]
