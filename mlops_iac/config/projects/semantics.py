"""Environment semantics applied to a checked spec (provider shape), per environment.

- names carry environment and project: <env>-<project>-<name> (tests: <env>-<project>-test-<name>);
- schedules, triggers and continuous runs are PAUSED outside production unless the spec opts in;
- in production, jobs and pipelines run as the deployer service principal;
- every job cluster runs under the environment's job-compute policy, every pipeline cluster under
  its pipeline policy (or the job one when it has none; or the one the spec names), with
  apply_policy_default_values, and carries the tags the policy fixes;
- tasks, dependencies and keyed lists are sorted, so reordering YAML changes nothing;
- environment, project and managed_by tags on every job and pipeline.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from .refs import Ref

MANAGED_BY = "mlops-iac"
SORT_KEYS = {"task": "task_key", "job_cluster": "job_cluster_key", "environment": "environment_key",
             "parameter": "name", "depends_on": "task_key", "cluster": "label"}


def _sorted_lists(value: Any) -> Any:
    """A copy of a checked body (its dicts and lists are new; leaves are immutable strings,
    numbers and frozen Refs) with keyed lists in key order: the finish functions edit this copy."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = _sorted_lists(item)
            if key in SORT_KEYS and isinstance(item, list):
                item = sorted(item, key=lambda x: str(x.get(SORT_KEYS[key], "")))
            out[key] = item
        return out
    if isinstance(value, list):
        return [_sorted_lists(item) for item in value]
    return value


def default_policy(env, kind: str) -> Optional[str]:
    """The policy a spec's clusters get when they name none: the environment's pipeline policy for
    DLT pipelines (cluster_type dlt), else its job-compute policy."""
    purposes = ("pipeline", "job") if kind == "pipeline" else ("job",)
    for purpose in purposes:
        keys = [k for k, p in sorted(env.cluster_policies.items()) if p.purpose == purpose]
        if keys:
            return keys[0]
    return None


def _governed_cluster(cluster: dict, policy_key: str, fixed_tags: Mapping[str, str], tags: Mapping[str, str]) -> dict:
    named = cluster.get("policy_id")
    cluster["policy_id"] = Ref("policy", str(named) if named is not None else policy_key)
    cluster["apply_policy_default_values"] = True
    cluster["custom_tags"] = dict(sorted({**cluster.get("custom_tags", {}), **fixed_tags, **tags}.items()))
    return cluster


def job_clusters(body: dict):
    """Every new_cluster of a job body: job clusters, tasks and for-each inner tasks."""
    for job_cluster in body.get("job_cluster", []):
        if "new_cluster" in job_cluster:
            yield job_cluster["new_cluster"]
    for task in body.get("task", []):
        for candidate in (task, task.get("for_each_task", {}).get("task", {})):
            if "new_cluster" in candidate:
                yield candidate["new_cluster"]


def _pause(body: dict, active: bool) -> None:
    for block in ("schedule", "trigger", "continuous"):
        if block in body:
            body[block]["pause_status"] = body[block].get("pause_status", "UNPAUSED") if active else "PAUSED"


def finish_job(body: Mapping[str, Any], *, name: str, production: bool, unpaused: bool,
               deployer_app_id: Optional[str], policy_key: str, fixed_tags: Mapping[str, Mapping[str, str]],
               tags: Mapping[str, str]) -> dict:
    job = _sorted_lists(dict(body))
    job["name"] = name
    job["tags"] = dict(sorted({**job.get("tags", {}), **tags, "managed_by": MANAGED_BY}.items()))
    _pause(job, production or unpaused)
    if production and deployer_app_id:
        job["run_as"] = {"service_principal_name": deployer_app_id}
    for cluster in job_clusters(job):
        key = str(cluster.get("policy_id", policy_key))
        _governed_cluster(cluster, policy_key, fixed_tags.get(key, {}), tags)
    return job


def finish_pipeline(body: Mapping[str, Any], *, name: str, production: bool, unpaused: bool,
                    deployer_app_id: Optional[str], policy_key: Optional[str],
                    fixed_tags: Mapping[str, Mapping[str, str]], tags: Mapping[str, str]) -> dict:
    pipeline = _sorted_lists(dict(body))
    pipeline["name"] = name
    pipeline["tags"] = dict(sorted({**pipeline.get("tags", {}), **tags, "managed_by": MANAGED_BY}.items()))
    pipeline.setdefault("development", not production)
    if not (production or unpaused) and pipeline.get("continuous"):
        pipeline["continuous"] = False
    if production and deployer_app_id:
        pipeline["run_as"] = {"service_principal_name": deployer_app_id}
    if policy_key is not None:
        for cluster in pipeline.get("cluster", []):
            key = str(cluster.get("policy_id", policy_key))
            _governed_cluster(cluster, policy_key, fixed_tags.get(key, {}), tags)
    return pipeline
