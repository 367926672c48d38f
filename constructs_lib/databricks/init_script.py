"""A cluster init script uploaded as a workspace file (the supported location since DBFS init
scripts were deprecated). The content is embedded, so the synthesized JSON is self-contained and
a changed script shows up in the plan."""
from __future__ import annotations

import base64
from dataclasses import dataclass

from constructs import Construct

from .provider import databricks_resource


@dataclass(frozen=True)
class InitScriptProps:
    workspace_path: str  # e.g. /Shared/mlops/prod/init_scripts/install-inhouse-libs.sh
    content: str


class InitScript(Construct):
    def __init__(self, scope: Construct, id: str, props: InitScriptProps) -> None:
        super().__init__(scope, id)
        self.workspace_path = props.workspace_path
        self.resource = databricks_resource(self, "file", "databricks_workspace_file", dict(
            path=props.workspace_path,
            content_base64=base64.b64encode(props.content.encode("utf-8")).decode("ascii")))
