"""Diagnostic logs to a Log Analytics workspace: created per environment or adopted by id."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

from constructs import Construct

from .provider import azurerm_resource


@dataclass(frozen=True)
class LogAnalyticsProps:
    resource_group_name: str
    location: str
    name: Optional[str] = None  # created with this name; None with existing_id
    existing_id: Optional[str] = None  # adopt a central workspace; nothing is created
    retention_days: int = 90
    tags: Mapping[str, str] = field(default_factory=dict)


class LogAnalytics(Construct):
    """The destination of every diagnostic setting of the platform."""

    def __init__(self, scope: Construct, id: str, props: LogAnalyticsProps) -> None:
        super().__init__(scope, id)
        self.resource = None
        if props.existing_id is not None:
            self.workspace_id = props.existing_id
            return
        self.resource = azurerm_resource(self, "workspace", "azurerm_log_analytics_workspace", dict(
            name=props.name,
            resource_group_name=props.resource_group_name,
            location=props.location,
            sku="PerGB2018",
            retention_in_days=props.retention_days,
            tags=dict(sorted(props.tags.items())),
        ))
        self.workspace_id = self.resource.attribute("id")

    def send(self, scope: Construct, id: str, target_id: str, *, logs: Sequence[str] = ("allLogs",),
             metrics: Sequence[str] = ("Transaction",)) -> None:
        """A diagnostic setting on ``target_id``: the log category groups and metric categories."""
        azurerm_resource(scope, id, "azurerm_monitor_diagnostic_setting", dict(
            name="to-log-analytics",
            target_resource_id=target_id,
            log_analytics_workspace_id=self.workspace_id,
            enabled_log=[dict(category_group=group) for group in logs] or None,
            enabled_metric=[dict(category=category) for category in metrics] or None,
        ))
