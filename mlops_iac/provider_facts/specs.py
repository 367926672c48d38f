"""Job and pipeline specs: how the Jobs / Pipelines API shape maps onto the provider's schema.

A spec is written in the API shape (the JSON a user copies from an existing job); the provider
names most nested lists in the singular (tasks -> task). The provider's own schema, extracted
into databricks_schema.json, decides what exists; this module adds what the schema cannot say.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

SCHEMA_FILE = Path(__file__).with_name("databricks_schema.json")

# API names the singular-plural rule does not cover, per block (by the block's own name).
API_RENAMES: dict[str, dict[str, str]] = {
    "*": {"libraries": "library"},
    "git_source": {"git_url": "url", "git_provider": "provider", "git_branch": "branch",
                   "git_tag": "tag", "git_commit": "commit"},
}

# Deprecated in the 1.99 schema, with what to write instead.
DEPRECATED: dict[str, str] = {
    "always_running": "continuous: {pause_status: UNPAUSED}",
    "max_retries": "max_retries on each task",
    "min_retry_interval_millis": "min_retry_interval_millis on each task",
    "retry_on_timeout": "retry_on_timeout on each task",
    "egg": "whl or pypi (eggs are no longer supported)",
    "dbfs": "workspace or volumes (DBFS init scripts are end-of-life)",
    "new_cluster": "tasks[].new_cluster or job_clusters (top-level new_cluster is the single-task format)",
}

TASK_TYPES = (
    "notebook_task", "spark_python_task", "python_wheel_task", "spark_jar_task", "spark_submit_task",
    "pipeline_task", "run_job_task", "sql_task", "dbt_task", "condition_task", "for_each_task",
    "clean_rooms_notebook_task", "dashboard_task", "dbt_cloud_task", "dbt_platform_task",
    "gen_ai_compute_task", "power_bi_task",
)

# Lists whose items are identified by a key: overrides merge them by key, output sorts by key.
KEYED_LISTS = {
    "tasks": "task_key", "job_clusters": "job_cluster_key", "environments": "environment_key",
    "parameters": "name", "clusters": "label",
}

# Enum fields the provider documents as case-insensitive (git_source provider: "case insensitive
# name of the Git provider"): any case is accepted, other values are not.
CASE_INSENSITIVE_ENUMS = ("git_provider",)

# Fields that identify an item and are compared as text: a number there is an error, never converted.
KEY_FIELDS = ("task_key", "job_cluster_key", "environment_key", "label")

# Documented limits of numeric fields (by field name; the Jobs / Pipelines API reference, as in the
# databricks-sdk docstrings): (minimum, maximum), None for no bound.
NUMBER_LIMITS: dict[str, tuple[int | None, int | None]] = {
    "max_concurrent_runs": (0, 1000),  # 0 skips every new run
    "timeout_seconds": (0, None),  # 0: no timeout
    "num_workers": (0, None),
    "min_workers": (0, None),
    "max_workers": (1, None),
    "max_retries": (-1, None),  # -1: retry indefinitely
    "min_retry_interval_millis": (0, None),
    "min_time_between_triggers_seconds": (60, None),
    "wait_after_last_change_seconds": (60, None),
    "interval": (1, None),
    "concurrency": (1, None),
    "start_hour": (0, 23),
}

SERVERLESS_NEEDS_ENVIRONMENT = ("spark_python_task", "python_wheel_task")
PARAMETER_NAME = r"[A-Za-z0-9_.-]+"
MAX_WEBHOOKS_PER_EVENT = 3
PIPELINE_CHANNELS = ("CURRENT", "PREVIEW")
PIPELINE_EDITIONS = ("CORE", "PRO", "ADVANCED")
MAX_PIPELINE_TAGS = 25


@lru_cache(maxsize=None)
def resource_schema(resource: str) -> dict:
    """The compact block schema of a resource (attributes and nested blocks)."""
    return json.loads(SCHEMA_FILE.read_text())[resource]
