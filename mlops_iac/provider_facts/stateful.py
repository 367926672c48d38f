"""Resource types whose destruction loses data or history: the one list that production protection
(``lifecycle.prevent_destroy``), the PROD-PREVENT-DESTROY guardrail and the review's destroy/replace
risk flags all read. Plain data: guardrails and review import it without the config or the stacks.
"""
from __future__ import annotations

STATEFUL_TYPES: dict[str, str] = {  # resource type -> what a destroy or replace loses
    "azurerm_resource_group": "every resource in the group",
    "azurerm_databricks_workspace": "notebooks, jobs, clusters, the workspace model registry and the "
                                    "managed resource group",
    "azurerm_storage_account": "the lakehouse data",
    "azurerm_storage_container": "the files of one lakehouse layer",
    "azurerm_key_vault": "the secrets (purge protection keeps them recoverable for the retention period)",
    "azurerm_log_analytics_workspace": "the audit and diagnostic logs",
    "databricks_mlflow_experiment": "runs, metrics and artifacts",
    "databricks_mlflow_model": "model versions and their stages",
    "databricks_registered_model": "Unity Catalog model versions and aliases",
    "databricks_pipeline": "the pipeline's event log and the tables it manages",
    "databricks_repo": "uncommitted work in the Git folder",
    "databricks_secret_scope": "the scope's secrets and ACLs",
}

STATEFUL = frozenset(STATEFUL_TYPES)
