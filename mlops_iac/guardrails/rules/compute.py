"""CLUSTER-POLICY, NO-PERSONAL-COMPUTE-PROD, SCHEDULE-PAUSED-OUTSIDE-PROD."""
from ..model import COMPLIANT, NOT_APPLICABLE, ResourceView, StackView, Verdict, non_compliant


def job_clusters(config: dict) -> list[tuple[str, dict]]:
    found = [(f"job_cluster[{c.get('job_cluster_key')}]", c.get("new_cluster", {}))
             for c in config.get("job_cluster", []) if c.get("new_cluster")]
    for task in config.get("task", []):
        for where, candidate in ((task, task), (task, task.get("for_each_task", {}).get("task", {}))):
            if candidate.get("new_cluster"):
                found.append((f"task[{where.get('task_key')}]", candidate["new_cluster"]))
    return found


def clusters_use_a_policy(resource: ResourceView, stack: StackView) -> Verdict:
    if resource.rtype == "databricks_cluster":
        clusters = [("cluster", resource.config)]
    elif resource.rtype == "databricks_job":
        clusters = job_clusters(resource.config)
    elif resource.rtype == "databricks_pipeline":
        clusters = [(f"cluster[{c.get('label')}]", c) for c in resource.config.get("cluster", [])]
    else:
        return NOT_APPLICABLE
    if not clusters:
        return NOT_APPLICABLE
    missing = [where for where, cluster in clusters if not cluster.get("policy_id")]
    return non_compliant(", ".join(missing) + " without policy_id") if missing else COMPLIANT


def no_personal_compute_in_prod(resource: ResourceView, stack: StackView) -> Verdict:
    if not stack.production or resource.rtype != "databricks_cluster_policy":
        return NOT_APPLICABLE
    personal = resource.config.get("policy_family_id") == "personal-vm" or "personal" in str(resource.config.get("name", ""))
    return non_compliant(str(resource.config.get("name"))) if personal else COMPLIANT


def schedules_paused_outside_prod(resource: ResourceView, stack: StackView) -> Verdict:
    if stack.production or resource.rtype != "databricks_job":
        return NOT_APPLICABLE
    active = [block for block in ("schedule", "trigger", "continuous")
              if (resource.config.get(block) or {}).get("pause_status") == "UNPAUSED"]
    return non_compliant(f"{resource.config.get('name')}: {', '.join(active)} UNPAUSED") if active else COMPLIANT
