"""A workspace folder that holds an environment's assets (the workspace-level baseline)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from constructs import Construct

from .permissions import AccessGrant, ObjectPermissions
from .provider import databricks_resource


@dataclass(frozen=True)
class WorkspaceFolderProps:
    path: str  # absolute, e.g. /Shared/mlops/prod
    delete_recursive: bool = False  # false: terraform destroy fails on a non-empty folder
    access: Sequence[AccessGrant] = ()  # left out: inherited from the parent folder


class WorkspaceFolder(Construct):
    def __init__(self, scope: Construct, id: str, props: WorkspaceFolderProps) -> None:
        super().__init__(scope, id)
        self.resource = databricks_resource(self, "directory", "databricks_directory",
                                            {"path": props.path, "delete_recursive": props.delete_recursive})
        if props.access:
            ObjectPermissions(self, "permissions", kind="directory", object_ref=self.folder_path,
                              object_key=f"directory:{props.path}", grants=props.access)

    @property
    def folder_path(self) -> str:
        return self.resource.attribute("path")
