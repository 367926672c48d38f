"""The Databricks side that Terraform scanners do not cover (checkov has no Databricks check):
CLUSTER-AUTOTERMINATION, PROD-DATA-SECURITY-MODE, NO-PERSONAL-ACCESS-TOKENS,
SECRET-SCOPE-NO-GROUP-MANAGE, PROD-JOB-TIMEOUT."""
import re

from ..model import COMPLIANT, NOT_APPLICABLE, ResourceView, StackView, Verdict, non_compliant
from .compute import job_clusters

# Modes without Unity Catalog user isolation: anyone on the cluster acts with the cluster's rights.
UNISOLATED_MODES = frozenset({"NONE", "LEGACY_TABLE_ACL", "LEGACY_PASSTHROUGH", "LEGACY_SINGLE_USER",
                              "LEGACY_SINGLE_USER_STANDARD"})
TOKEN_RESOURCES = frozenset({"databricks_token", "databricks_obo_token"})
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def clusters_terminate(resource: ResourceView, stack: StackView) -> Verdict:
    """All-purpose clusters stop when idle; job clusters end with their run."""
    if resource.rtype != "databricks_cluster":
        return NOT_APPLICABLE
    minutes = resource.config.get("autotermination_minutes")
    if isinstance(minutes, int) and minutes > 0:
        return COMPLIANT
    return non_compliant(f"{resource.config.get('cluster_name')}: autotermination_minutes {minutes}")


def prod_clusters_isolate_users(resource: ResourceView, stack: StackView) -> Verdict:
    if not stack.production:
        return NOT_APPLICABLE
    if resource.rtype == "databricks_cluster":
        clusters = [("cluster", resource.config)]
    elif resource.rtype == "databricks_job":
        clusters = job_clusters(resource.config)
    else:
        return NOT_APPLICABLE
    if not clusters:
        return NOT_APPLICABLE
    legacy = [f"{where} {cluster['data_security_mode']}" for where, cluster in clusters
              if str(cluster.get("data_security_mode", "")).upper() in UNISOLATED_MODES]
    return non_compliant(", ".join(legacy)) if legacy else COMPLIANT


def no_personal_access_tokens(resource: ResourceView, stack: StackView) -> Verdict:
    """Tokens created by Terraform live in its state; a provider authenticated with a token acts as
    whoever minted it. Entra ID (service principal, managed identity) is the way in."""
    if resource.kind == "provider" and resource.rtype == "databricks":
        return non_compliant("provider authenticates with a token") if "token" in resource.config else COMPLIANT
    if resource.rtype in TOKEN_RESOURCES:
        return non_compliant(f"{resource.rtype} {resource.name}")
    return NOT_APPLICABLE


def _is_group(principal: str) -> bool:
    return "@" not in principal and not GUID.match(principal)  # users are e-mails, service principals ids


def secret_scopes_not_managed_by_groups(resource: ResourceView, stack: StackView) -> Verdict:
    if resource.rtype != "databricks_secret_acl":
        return NOT_APPLICABLE
    principal, permission = str(resource.config.get("principal", "")), resource.config.get("permission")
    if permission == "MANAGE" and _is_group(principal):
        return non_compliant(f"group {principal} has MANAGE")
    return COMPLIANT


def prod_jobs_time_out(resource: ResourceView, stack: StackView) -> Verdict:
    """A production job with no timeout on the job or on every task can hang and hold its cluster."""
    if not stack.production or resource.rtype != "databricks_job":
        return NOT_APPLICABLE
    if (resource.config.get("timeout_seconds") or 0) > 0:
        return COMPLIANT
    tasks = resource.config.get("task", [])
    if tasks and all((task.get("timeout_seconds") or 0) > 0 for task in tasks):
        return COMPLIANT
    return non_compliant(f"{resource.config.get('name')} has no timeout_seconds")
